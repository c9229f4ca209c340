/**
 * HTML that escapes by default, the same idea as Kelid's src/views/html.ts (and hono's
 * helper/html): `html` returns Markup; a nested Markup (or an array of them) is kept as it
 * is, every other value is escaped as text. There is deliberately no `raw`: these apps never
 * need to pass markup through.
 */
export class Markup {
  readonly value: string;
  constructor(value: string) {
    this.value = value;
  }
  toString(): string {
    return this.value;
  }
}

export type Renderable = Markup | string | number | null | undefined | false | readonly Renderable[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export const escapeText = (text: string) => text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);

function render(value: Renderable): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Renderable[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => { out += render(value) + (strings[i + 1] ?? ''); });
  return new Markup(out);
}
