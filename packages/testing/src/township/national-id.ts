const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = "10X98765432";

/** An 18-character resident id (GB 11643) with a valid check character: region, birth date, sequence. */
export function nationalId(region: string, birthDate: string, sequence: number): string {
  const body = `${region}${birthDate.replaceAll("-", "")}${String(sequence % 1000).padStart(3, "0")}`;
  const sum = [...body].reduce((s, c, i) => s + Number(c) * (WEIGHTS[i] ?? 0), 0);
  return `${body}${CHECK[sum % 11]}`;
}
