// Reads an OpenAPI document on stdin and prints the validator's problems as a
// JSON array (empty when valid). A separate process because the validator is
// an ES module, which test runners' CommonJS module systems cannot load.
import { Validator } from '@seriousme/openapi-schema-validator';

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const validator = new Validator();
const result = await validator.validate(JSON.parse(Buffer.concat(chunks).toString('utf8')));
const errors = result.valid ? [] : Array.isArray(result.errors) ? result.errors : [result.errors];
process.stdout.write(JSON.stringify(errors.map((error) => (typeof error === 'string' ? error : JSON.stringify(error)))));
