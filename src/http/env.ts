import type { Context } from 'hono';
import type { Locale } from '../core/types.ts';
import type { ApiKey } from '../db/store.ts';
import type { AppDeps } from '../services/deps.ts';

/** The typed Hono environment: per-request values set by middleware. */
export interface HonoEnv {
  Variables: {
    requestId: string;
    locale: Locale;
    deps: AppDeps;
    apiKey: ApiKey;
    /** The client's address (resolved on first use: most requests never need it). */
    clientIp: () => string | null;
  };
}

export type AppContext = Context<HonoEnv>;
