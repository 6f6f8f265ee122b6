const DATE_TIME = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  dateStyle: 'medium',
  timeStyle: 'medium',
});
const DATE = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', dateStyle: 'medium' });
const DAY_KEY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/London',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A time as people in England read it (Europe/London). */
export function dateTime(iso: string | null | undefined): string {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

export function date(iso: string | null | undefined): string {
  return iso ? DATE.format(new Date(iso)) : '—';
}

/** The calendar day (Europe/London) of a time, as YYYY-MM-DD. */
export function dayOf(iso: string): string {
  return DAY_KEY.format(new Date(iso));
}

/** The Monday (YYYY-MM-DD) of the week a day is in. */
export function weekOf(day: string): string {
  const at = new Date(`${day}T12:00:00Z`);
  const back = (at.getUTCDay() + 6) % 7;
  at.setUTCDate(at.getUTCDate() - back);
  return at.toISOString().slice(0, 10);
}

/** Abbreviations kept in capitals when an enum value is put into words. */
const ACRONYMS = new Set(['YOS', 'CSC', 'IRO', 'CPS', 'DPO', 'CP', 'C1', 'C2']);

/** Words from an enum value: BREAK_GLASS_REFUSED → "Break glass refused", YOS_CASE_MANAGER → "YOS case manager". */
export function words(value: string | null | undefined): string {
  if (!value) return '—';
  const parts = value.split('_').map((part) => (ACRONYMS.has(part) ? part : part.toLowerCase()));
  const text = parts.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** One CSV cell (RFC 4180), with a leading quote on what a spreadsheet would run as a formula. */
function cell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** Parses RFC 4180 CSV (the gateway's exports) into rows of cells. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let value = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        value += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else value += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      row.push(value);
      value = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i += 1;
      row.push(value);
      rows.push(row);
      row = [];
      value = '';
    } else value += char;
  }
  if (value !== '' || row.length > 0) {
    row.push(value);
    rows.push(row);
  }
  return rows;
}

/** Offers text as a file download. */
export function download(name: string, type: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
