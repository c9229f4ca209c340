/** Every guide in every locale: a topic missing in one locale is a type error (each file is a `Record<GuideTopic, Guide>`). */
import type { Locale } from '../config.ts';
import { arGuides } from './ar.ts';
import { enGuides } from './en.ts';
import { faGuides } from './fa.ts';
import type { Guide, GuideTopic } from './guide.ts';
import { heGuides } from './he.ts';

export const guides: Record<Locale, Record<GuideTopic, Guide>> = { fa: faGuides, he: heGuides, ar: arGuides, en: enGuides };
