/** What the primary and the processes it starts say to each other over their channel. */

/** Setup → primary, once the configuration is checked: what the primary needs of it (it does not load config.ts). */
export type ClusterSettings = { kelid: 'settings'; workers: number; logLevel: string };

/** Primary → worker: stop gracefully (serve.ts's stop), then exit. */
export const STOP = { kelid: 'stop' } as const;

const kindOf = (message: unknown): unknown =>
  typeof message === 'object' && message !== null ? (message as { kelid?: unknown }).kelid : undefined;

export const isStop = (message: unknown): boolean => kindOf(message) === STOP.kelid;
export const isSettings = (message: unknown): message is ClusterSettings => kindOf(message) === 'settings';
