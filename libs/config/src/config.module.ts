import { DynamicModule, Global, Module } from '@nestjs/common';

/** Injection token for the app's parsed configuration object. */
export const APP_CONFIG = Symbol('APP_CONFIG');

/** Makes an already-validated config object injectable (`@Inject(APP_CONFIG)`). */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: object): DynamicModule {
    return { module: ConfigModule, providers: [{ provide: APP_CONFIG, useValue: config }], exports: [APP_CONFIG] };
  }
}
