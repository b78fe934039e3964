export * from './api-error';
export * from './error.filter';
export * from './zod';
export * from './service.module';
export * from './bootstrap';
export * from './deadlines';
