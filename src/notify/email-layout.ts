/**
 * An email body (paragraphs, a code, links) → subject, plain text and HTML. The HTML is built
 * with the escaping `html` tag, so every parameter (a name, a username) arrives as text; it
 * carries lang and dir (RTL for Persian and Hebrew) on the root and the content box, since
 * some mail clients drop the <html> attributes. Styles are inline: mail clients ignore
 * style sheets.
 */
import type { Locale } from '../config.ts';
import { direction } from '../i18n/catalogs.ts';
import { html, type SafeHtml } from '../views/html.ts';
import type { EmailBlock, EmailBody } from './texts/fa.ts';

export type RenderedEmail = { subject: string; text: string; html: string };

const FONT = "Vazirmatn, Tahoma, 'Noto Sans Hebrew', Arial, sans-serif";

function blockText(block: EmailBlock): string {
  if (typeof block === 'string') return block;
  if ('code' in block) return block.code;
  return block.link;
}

function blockHtml(block: EmailBlock): SafeHtml {
  if (typeof block === 'string') return html`<p style="margin:0 0 16px">${block}</p>`;
  // A code reads left to right in every language; dir="ltr" keeps its digits in order.
  if ('code' in block) {
    return html`<p dir="ltr" style="margin:0 0 16px;font-size:28px;font-weight:bold;letter-spacing:6px;text-align:center">${block.code}</p>`;
  }
  return html`<p dir="ltr" style="margin:0 0 16px;text-align:center"><a href="${block.link}" style="color:#0b57d0">${block.label}</a></p>`;
}

export function renderEmail(body: EmailBody, locale: Locale): RenderedEmail {
  const dir = direction(locale);
  const align = dir === 'rtl' ? 'right' : 'left';
  const page = html`<!doctype html>
<html lang="${locale}" dir="${dir}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${body.subject}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6">
<div lang="${locale}" dir="${dir}" style="max-width:560px;margin:0 auto;padding:24px;background:#ffffff;color:#111827;font-family:${FONT};font-size:16px;line-height:1.8;text-align:${align}">
${body.blocks.map(blockHtml)}
</div>
</body>
</html>`;
  return { subject: body.subject, text: body.blocks.map(blockText).join('\n\n'), html: page.value };
}
