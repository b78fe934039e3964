/**
 * The admin API as the console uses it. The token lives in this object and
 * in sessionStorage (gone when the tab closes), and only ever travels in the
 * Authorization header — never in a URL, so it cannot end up in a log.
 */
const TOKEN_KEY = 'understudy.console.adminToken';
const TIMEOUT_MS = 5_000;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class AdminApi {
  private token: string | undefined;

  constructor() {
    this.token = sessionStorage.getItem(TOKEN_KEY) ?? undefined;
  }

  get signedIn(): boolean {
    return this.token !== undefined;
  }

  signIn(token: string): void {
    this.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  }

  signOut(): void {
    this.token = undefined;
    sessionStorage.removeItem(TOKEN_KEY);
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }

  post<T>(path: string, body: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    if (!this.token) throw new ApiError(401, 'UNAUTHORIZED', 'not signed in');
    const headers: Record<string, string> = { authorization: `Bearer ${this.token}`, 'x-understudy-actor': 'console' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(TIMEOUT_MS), cache: 'no-store' });
    } catch (error) {
      throw new ApiError(0, 'UNREACHABLE', `the gateway did not answer (${error instanceof Error ? error.message : String(error)})`);
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `HTTP ${response.status}`);
    }
    return parsed as T;
  }
}
