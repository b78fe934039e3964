export * from './gid';
export * from './webhooks/hmac';
export * from './webhooks/headers';
export * from './webhooks/payloads';
export * from './webhooks/topics';
