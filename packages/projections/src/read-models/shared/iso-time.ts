/** The last day formatted, "YYYY-MM-DDT": a batch's events are mostly recorded on one day. */
let lastDay = Number.NaN;
let lastDayPrefix = "";

const MS_PER_DAY = 86_400_000;

/**
 * `date.toISOString()`, about five times cheaper: the date part is formatted once per day and
 * the time of day with arithmetic. A rebuild formats every event's recorded time in several
 * read models, where toISOString was a visible share of their CPU.
 */
export function isoTime(date: Date): string {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) return date.toISOString(); // throws RangeError, as toISOString does
  const day = Math.floor(ms / MS_PER_DAY);
  if (day !== lastDay) {
    const iso = new Date(day * MS_PER_DAY).toISOString();
    lastDayPrefix = iso.slice(0, iso.indexOf("T") + 1);
    lastDay = day;
  }
  let rest = ms - day * MS_PER_DAY;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  const millis = rest - seconds * 1000;
  return `${lastDayPrefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? "00" : millis < 100 ? "0" : ""}${millis}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}
