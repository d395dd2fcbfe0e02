import pino from "pino";

/** JSON logs by default; pretty only when a person watches a terminal. */
export function createLogger(level: string): pino.Logger {
  const pretty = process.stdout.isTTY && process.env.NO_COLOR === undefined;
  return pino({
    level,
    redact: {
      // Tokens and cookies, and national ids / bank accounts wherever a body or an error carries them.
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "*.nationalId",
        "*.*.nationalId",
        "*.members[*].nationalId",
        "members[*].nationalId",
        "*.bankAccount",
      ],
      censor: "[redacted]",
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss" } } } : {}),
  });
}
