import { execFile } from 'node:child_process';
import path from 'node:path';

/**
 * Validates an OpenAPI document with a real validator (the OpenAPI
 * Initiative's JSON Schemas for each version, as client generators and
 * fuzzers read it); resolves to the list of problems, empty when valid.
 */
export async function openApiProblems(document: object): Promise<string[]> {
  const script = path.join(__dirname, 'openapi-validate.mjs');
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, [script], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`OpenAPI validator failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout) as string[]);
    });
    child.stdin!.end(JSON.stringify(document));
  });
}
