import type { Kysely } from "kysely";

/** What a read route needs: the database holding the read models. */
export interface ReadDeps {
  db: Kysely<any>;
}

/** Today in China (the township's civil date), the default `asOf` of schedules. */
export function todayInChina(now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}
