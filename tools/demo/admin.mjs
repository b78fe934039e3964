// The gateway's admin API for the demo's scripts: bearer token, deadline, errors with the API's code.
export function adminClient(baseUrl, token, actor = 'demo', timeoutMs = 15_000) {
  async function call(method, path, body) {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'x-understudy-actor': actor, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const parsed = text ? JSON.parse(text) : undefined;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${parsed?.error?.code ?? ''} ${parsed?.error?.message ?? text}`.trim());
    return parsed;
  }
  return { get: (path) => call('GET', path), send: call };
}
