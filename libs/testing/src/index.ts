export * from './env';
export * from './postgres';
export * from './redis-server';
export * from './kafka';
export * from './wait';
export * from './pause';
export * from './app-process';
export * from './metrics';
