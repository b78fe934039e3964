export * from './api-error';
export * from './request-id';
export * from './error.filter';
export * from './zod';
export * from './service.module';
export * from './bootstrap';
export * from './deadlines';
export * from './projection-consumer';
