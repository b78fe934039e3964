export * from './data-source';
export { DataSource } from 'typeorm';
