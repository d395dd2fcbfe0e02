import pino from "pino";

/** JSON logs by default; pretty only when a person watches a terminal. */
export function createLogger(level: string): pino.Logger {
  const pretty = process.stdout.isTTY && process.env.NO_COLOR === undefined;
  return pino({
    level,
    redact: {
      paths: ["req.headers.authorization", "*.nationalId", "*.*.nationalId", "*.bankAccount"],
      censor: "[redacted]",
    },
    ...(pretty ? { transport: { target: "pino-pretty", options: { translateTime: "SYS:HH:MM:ss" } } } : {}),
  });
}
