/**
 * Virtual milliseconds → `xs:dateTime` text (`hostAssociationDateTime`), without the host clock.
 * The model may not touch `Date` (purity rule), so this is the proleptic-Gregorian
 * days-to-civil conversion (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
 * Always UTC, always millisecond precision: `1970-01-01T00:00:00.000Z` for 0.
 */
export function isoFromMillis(ms: number): string {
  const t = Math.floor(ms);
  const days = Math.floor(t / 86_400_000);
  const msOfDay = t - days * 86_400_000;
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const two = (n: number) => String(n).padStart(2, '0');
  const hh = Math.floor(msOfDay / 3_600_000);
  const mm = Math.floor((msOfDay % 3_600_000) / 60_000);
  const ss = Math.floor((msOfDay % 60_000) / 1000);
  const milli = msOfDay % 1000;
  const yyyy = year < 0 ? '-' + String(-year).padStart(4, '0') : String(year).padStart(4, '0');
  return `${yyyy}-${two(month)}-${two(day)}T${two(hh)}:${two(mm)}:${two(ss)}.${String(milli).padStart(3, '0')}Z`;
}
