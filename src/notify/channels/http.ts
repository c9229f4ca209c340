/**
 * One HTTP call to a provider, with a deadline: a provider that hangs must not hold a
 * claimed message past its lease (see dispatcher.ts). Network failures and timeouts are
 * retryable ChannelErrors; the caller judges the status.
 */
import { ChannelError } from './channel.ts';

export type HttpAnswer = { status: number; body: string; json: unknown };

export const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The deadline of one call to a provider under a lease of `leaseMs`: half the lease, at most
 * 15 s. The other half is the margin for recording the outcome, so a live dispatcher is done
 * with a message before its lease runs out and no other process can take it meanwhile.
 */
export function providerDeadlineMs(leaseMs: number): number {
  return Math.min(DEFAULT_TIMEOUT_MS, Math.floor(leaseMs / 2));
}

export async function post(
  url: string, headers: Record<string, string>, body: string, timeoutMs = DEFAULT_TIMEOUT_MS,
): Promise<HttpAnswer> {
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (error) {
    // The URL may carry a key (Kavenegar puts it in the path): name only the host.
    const host = new URL(url).host;
    throw new ChannelError(`${host}: ${error instanceof Error ? error.message : String(error)}`, true, { cause: error });
  }
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, body: text, json };
}

export const form = (fields: Record<string, string | undefined>) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) if (value !== undefined) params.set(name, value);
  return params.toString();
};

/** A string or number property of a parsed JSON body, if there is one. */
export function pick(json: unknown, ...path: (string | number)[]): string | undefined {
  let value: unknown = json;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
