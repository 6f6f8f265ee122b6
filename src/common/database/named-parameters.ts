/**
 * TypeORM's `:name` and `:...list` parameters bound exactly as its PostgresDriver's
 * escapeQueryWithParameters binds them (the same `$n` numbering, the same text), with the work
 * that depends only on the text done once per text: the policy's row filters build the same few
 * texts on every read, and re-scanning each with a regular expression and a callback per
 * parameter was about 2% of the key read's gateway CPU (docs/TOOLCHAIN.md).
 */

/** What TypeORM takes for a parameter name. */
const PARAMETER = /:(\.\.\.)?([A-Za-z0-9_.]+)/g;

interface Reference {
  readonly key: string;
  readonly list: boolean;
  /** The text as written, left in place when the parameters have no such key. */
  readonly written: string;
}

/** A text cut at its parameters: `literals[i]` comes before `references[i]`, and one more literal ends it. */
interface Template {
  readonly literals: readonly string[];
  readonly references: readonly Reference[];
  /** The text each shape of parameters binds it to (shape: which keys are present, each list's length). */
  readonly bound: Map<string, string>;
}

/** Texts kept (a built text beyond them is bound from scratch each time). */
const MAX_TEXTS = 500;
/** Shapes kept per text. */
const MAX_SHAPES = 64;

export class NamedParameters {
  private readonly templates = new Map<string, Template>();

  /**
   * `[text, values]` as escapeQueryWithParameters would return them, or null when a parameter is
   * something this does not bind (a function, which TypeORM writes into the text; a list that is
   * not an array): the caller then asks TypeORM.
   */
  bind(text: string, parameters: Record<string, unknown>): [string, unknown[]] | null {
    if (Object.keys(parameters).length === 0) return [text, []];
    const template = this.templateOf(text);
    const values: unknown[] = [];
    const numbers = new Map<string, number>();
    let shape = '';
    for (const { key, list } of template.references) {
      if (!Object.hasOwn(parameters, key)) {
        shape += '-';
        continue;
      }
      // In TypeORM's order: a key already bound as a single value is that value again, even as a list.
      if (numbers.has(key)) {
        shape += 'r';
        continue;
      }
      const value = parameters[key];
      if (list) {
        if (!Array.isArray(value)) return null;
        for (const item of value) values.push(item);
        shape += `${value.length},`;
      } else {
        if (typeof value === 'function') return null;
        values.push(value);
        numbers.set(key, values.length);
        shape += 's';
      }
    }
    let bound = template.bound.get(shape);
    if (bound === undefined) {
      bound = render(template, parameters);
      if (template.bound.size < MAX_SHAPES) template.bound.set(shape, bound);
    }
    return [bound, values];
  }

  private templateOf(text: string): Template {
    const known = this.templates.get(text);
    if (known) return known;
    const literals: string[] = [];
    const references: Reference[] = [];
    let from = 0;
    for (const match of text.matchAll(PARAMETER)) {
      literals.push(text.slice(from, match.index));
      references.push({ key: match[2] ?? '', list: match[1] !== undefined, written: match[0] });
      from = match.index + match[0].length;
    }
    literals.push(text.slice(from));
    const template = { literals, references, bound: new Map<string, string>() };
    if (this.templates.size < MAX_TEXTS) this.templates.set(text, template);
    return template;
  }
}

/** The text with each parameter written as TypeORM writes it: `$n`, a list as `$n, $n+1, …`, an absent key as written. */
function render(template: Template, parameters: Record<string, unknown>): string {
  const numbers = new Map<string, number>();
  let count = 0;
  let text = template.literals[0] ?? '';
  template.references.forEach(({ key, list, written }, index) => {
    const number = numbers.get(key);
    if (!Object.hasOwn(parameters, key)) text += written;
    else if (number !== undefined) text += `$${number}`;
    else if (list) {
      const items = parameters[key] as readonly unknown[];
      text += items.map(() => `$${++count}`).join(', ');
    } else {
      numbers.set(key, ++count);
      text += `$${count}`;
    }
    text += template.literals[index + 1] ?? '';
  });
  return text;
}
