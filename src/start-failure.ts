/** How a start that failed ends, in every kind of process: one line on stderr (a ConfigError's names the variable), no stack trace, exit 1. */
import { ConfigError } from './config.ts';

export function failStart(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
  } else {
    console.error('Kelid could not start:', error instanceof Error ? error.message : error);
  }
  process.exit(1);
}
