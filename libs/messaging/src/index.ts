export * from './topics';
export * from './envelope';
export * from './kafka';
export * from './publisher';
export * from './consumer';
export * from './probe';
export * from './topic-reader';
