export * from './probe';
export * from './shutdown';
export * from './health.controller';
export * from './health.module';
