/**
 * Which guide each page links (F31): every kind of flow and every console page names its
 * topic here, in one table. A new flow kind (flows/all-kinds.ts) or console page without a
 * guide is a type error, not a page that silently lacks its link.
 */
import type { FlowKindName } from '../flows/all-kinds.ts';
import type { GuideTopic } from './guide.ts';

/** Pages that are not a flow kind: the role choice, System support's, and the console's pages by task. */
export type GuidedPage =
  | FlowKindName | 'role-choice'
  | 'support' | 'support-requests' | 'support-request'
  | 'admin-users' | 'admin-user' | 'admin-new-user' | 'admin-appointment' | 'admin-renew' | 'admin-reset'
  | 'admin-bulk-passwords' | 'admin-import' | 'admin-oneroster' | 'admin-invitations' | 'admin-approvals' | 'admin-announcements' | 'admin-clients'
  | 'admin-support' | 'admin-support-request';

export const guideOf: Record<GuidedPage, GuideTopic> = {
  login: 'sign-in',
  'otp-login': 'one-time-code',
  registration: 'registration',
  recovery: 'recovery',
  'set-password': 'set-password',
  'change-password': 'change-password',
  'role-choice': 'role-choice',
  // The form (signed in or out), one's own requests, and one request with its answers.
  support: 'support',
  'support-requests': 'support',
  'support-request': 'support',
  // The user table is where a reset starts (seed 1 §7: search, then ⇄ at the row's end).
  'admin-users': 'admin-reset',
  'admin-user': 'admin-appointments',
  'admin-new-user': 'admin-new-user',
  'admin-appointment': 'admin-appointments',
  'admin-renew': 'admin-appointments',
  'admin-reset': 'admin-reset',
  'admin-bulk-passwords': 'admin-bulk-passwords',
  'admin-import': 'admin-import',
  'admin-oneroster': 'admin-oneroster',
  'admin-invitations': 'admin-invitations',
  'admin-approvals': 'admin-approvals',
  'admin-announcements': 'admin-announcements',
  'admin-clients': 'admin-clients',
  'admin-support': 'admin-support',
  'admin-support-request': 'admin-support',
};

/** The address of a page's guide. */
export const guideHref = (page: GuidedPage): string => `/guides/${guideOf[page]}`;
