// One JSON logger for the process. Redaction is a second line of defence: nothing should hand it a token, key,
// secret or request body in the first place.
import { pino, type Logger as PinoLogger } from 'pino';

export type Logger = PinoLogger;

export function createLogger(
  production: boolean,
  level = process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
): Logger {
  return pino({
    level,
    base: { service: 'mes-gateway' },
    redact: {
      paths: [
        '*.authorization',
        '*.Authorization',
        '*.token',
        '*.apiKey',
        '*.secret',
        '*.password',
        '*.body',
        'req.headers',
      ],
      censor: '[redacted]',
    },
    ...(production ? {} : { timestamp: pino.stdTimeFunctions.isoTime }),
  });
}
