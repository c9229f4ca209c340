// Outgoing messages for channel tests, rendered by the real templates.
import type { OutgoingMessage } from '../../src/notify/channels/channel.ts';
import { renderTemplate, type MessageChannel, type TemplateName, type TemplateParams } from '../../src/notify/templates.ts';
import { localeOf, type Formatting } from '../../src/i18n/format.ts';

export function outgoing<T extends TemplateName>(
  template: T, channel: MessageChannel, to: string, params: TemplateParams[T], formatting: Formatting = 'fa',
): OutgoingMessage {
  return {
    id: '5f0c6a8e-1b2c-4d3e-8f90-a1b2c3d4e5f6', channel, to, template, locale: localeOf(formatting), params,
    ...renderTemplate(template, channel, formatting, params), attempt: 1,
  };
}
