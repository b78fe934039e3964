export * from './data-source';
export { DataSource } from 'typeorm';
export * from './sql-state';
export * from './transient';
export * from './transaction';
