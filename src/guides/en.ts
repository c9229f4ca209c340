/** English guides (F31): the seeds' steps, each label quoted by its catalog key (see guide.ts). */
import { line, type Guide, type GuideTopic } from './guide.ts';

const help = line`Still stuck? Send a request to ${'support.menu'}, in the services on your home page; if you cannot sign in, use the ${'support.ask_signed_out'} link on the sign-in page. Never give your password to anyone, support staff included.`;
const adminHelp = line`Still stuck? Send a request from ${'support.menu'} on your home page: an administrator's request goes to the administrators one level up (a school asks its district, a district its province). Every change you make is recorded in the console's audit.`;

export const enGuides: Record<GuideTopic, Guide> = {
  'sign-in': {
    title: 'Signing in with a password',
    intro: line`Your username is your national ID (or, without one, your user code); one password opens every ministry service.`,
    before: [line`Your national ID or user code, and your password. A first password comes from your school's principal, or from registering.`],
    steps: [
      line`Open the ${'sign_in.title'} page.`,
      line`Type your national ID or user code in ${'sign_in.identifier'}. Persian or Latin digits both work.`,
      line`Type your password in ${'sign_in.password'} and press ${'sign_in.submit'}.`,
      line`If you hold more than one role, choose the one you are working in now (see the role-choice guide).`,
      line`If your password is temporary, choose a new one before going on.`,
    ],
    problems: [
      { problem: line`The username or the password is wrong.`, fix: line`Check the keyboard language and Caps Lock, then try again. If you have forgotten it, press ${'sign_in.forgot'}.` },
      { problem: line`Too many failed tries: the page asks you to wait, or shows a ${'sign_in.captcha'}.`, fix: line`Wait the minutes the page names, or complete the check, then try once more. The lock ends on its own; your principal can also lift it.` },
      { problem: line`You have no password at hand but your phone is registered.`, fix: line`Use ${'sign_in.with_code'} instead.` },
    ],
    help,
  },
  'one-time-code': {
    title: 'Signing in with a one-time code',
    intro: line`Instead of a password, a code is sent to the mobile phone registered on your account.`,
    before: [line`Your national ID or user code, and the mobile phone registered on your account.`],
    steps: [
      line`On the sign-in page press ${'sign_in.with_code'}.`,
      line`Type your national ID or user code in ${'sign_in.identifier'}.`,
      line`Press ${'otp.send_sms'}, or ${'otp.send_call'} to hear the code in a phone call.`,
      line`Type the code you received in ${'otp.code'} and press ${'sign_in.submit'}.`,
    ],
    problems: [
      { problem: line`No code arrived.`, fix: line`Wait for the button's countdown to end, then press ${'otp.resend_sms'}. The code only goes to the number registered on the account; if it has changed, ask your principal to update it.` },
      { problem: line`The code has expired or was typed wrong too many times.`, fix: line`Ask for a new code; only the newest code works.` },
      { problem: line`Too many codes were requested.`, fix: line`Wait the minutes the page names, or use ${'sign_in.with_password'}.` },
      { problem: line`You typed another person's national ID.`, fix: line`Press ${'otp.edit'} and type yours.` },
    ],
    help,
  },
  registration: {
    title: 'Registering',
    intro: line`Registration is a pre-registration: it sets your username (your national ID) and your password. After signing in you complete your details, and services open once they are approved.`,
    before: [line`Your national ID, your date of birth, and a personal mobile phone and email address that you can reach now: codes are sent to both.`],
    steps: [
      line`On the sign-in page press ${'sign_in.register'}.`,
      line`Read the rules, tick ${'registration.accept_rules'} and press ${'common.confirm'}.`,
      line`Fill in ${'registration.first_name'}, ${'registration.last_name'}, ${'registration.national_id'}, the date of birth, ${'registration.mobile'} and ${'registration.email'}, exactly as in the civil registry.`,
      line`Choose a password, type it in ${'registration.password'} and again in ${'registration.repeat'}.`,
      line`Complete the ${'registration.captcha'} and press ${'registration.send'}.`,
      line`Press ${'registration.send_sms'} (or ${'registration.send_call'} to hear the code), then type the codes in ${'registration.mobile_code'} and ${'registration.email_code'}, and press ${'registration.send'}.`,
      line`The page says ${'registration.being_created'} An SMS tells you when the account is ready; then sign in and complete your details.`,
    ],
    problems: [
      { problem: line`${'code.activation_expired'}`, fix: line`Codes are good for a few minutes. Ask for a new one with ${'registration.send_sms'} or ${'registration.resend_email'}.` },
      { problem: line`The page says the national ID is already registered.`, fix: line`You already have an account: follow ${'registration.already_registered_link'} to choose a new password.` },
      { problem: line`A detail was typed wrong (the mobile, the email).`, fix: line`Press ${'registration.edit'}, correct it, and ask for new codes.` },
      { problem: line`Your name or date of birth do not match the registry.`, fix: line`Type them exactly as on your birth certificate.` },
    ],
    help,
  },
  recovery: {
    title: 'Recovering a forgotten password',
    intro: line`You can choose a new password yourself, without visiting the principal: a code goes to the mobile registered on your account.`,
    before: [line`Your national ID and the mobile phone registered on your account; depending on the service, also your birth-certificate serial, or the identification question you chose and its answer.`],
    steps: [
      line`On the sign-in page press ${'sign_in.forgot'}.`,
      line`Type your ${'registration.national_id'} and either ${'recovery.serial'} and ${'recovery.mobile'}, or your ${'set_password.question'} and ${'set_password.answer'}, as the page asks.`,
      line`Complete the ${'registration.captcha'} and press ${'common.confirm'}.`,
      line`Type the SMS code in ${'recovery.code'}, your new password in ${'recovery.new_password'} and again in ${'registration.repeat'}, and press ${'common.save'}.`,
      line`Sign in with your national ID and the new password: ${'recovery.back_to_sign_in'}.`,
    ],
    problems: [
      { problem: line`No code arrived.`, fix: line`If the details match, the code goes to the registered mobile. Wait for the countdown, then press ${'recovery.resend'}.` },
      { problem: line`Your mobile number has changed.`, fix: line`Press ${'recovery.use_email'}, then ${'recovery.send_link'}: a link arrives at your confirmed email; open it and press ${'recovery.link_continue'}.` },
      { problem: line`The code expired, or too many recovery requests were made.`, fix: line`Wait the minutes the page names and start again; only the newest code or link works.` },
    ],
    help,
  },
  'set-password': {
    title: 'Setting your password from the emailed link',
    intro: line`Your school or the ministry has sent you an email, "Password for the Ministry of Education's online systems", with a link to set your password.`,
    before: [line`The email with the link, your ID number, and an email address you can read now.`],
    steps: [
      line`Open the link in the email.`,
      line`Type ${'set_password.your_id'} and press ${'common.confirm'}.`,
      line`Type a ${'set_password.new_password'} and again in ${'registration.repeat'}. ${'set_password.policy_link'} shows what a password needs.`,
      line`Choose an ${'set_password.question'} and type ${'set_password.answer'}: it lets you identify yourself later if needed.`,
      line`Type your ${'registration.email'} and press ${'common.save'}; then type ${'set_password.email_code'} and press ${'common.save'} again.`,
      line`The page says ${'set_password.saved'} and shows your user code, which never changes. Press ${'set_password.close'} and sign in with the user code (or national ID) and the new password.`,
    ],
    problems: [
      { problem: line`The page says the link was already used, has expired, or a newer one was sent.`, fix: line`Press ${'set_password.new_link'}: a fresh link goes to the email on your account. Only the newest link works.` },
      { problem: line`The ID number was typed wrong several times.`, fix: line`The link is cancelled for your safety; ask for a new one.` },
      { problem: line`No code reached your email.`, fix: line`Check the spam folder, then ask for the code again.` },
    ],
    help,
  },
  'change-password': {
    title: 'Changing your password',
    intro: line`Change the password you were given (it may be complex and hard to remember) to one of your own, from inside your account.`,
    before: [line`Your current password.`],
    steps: [
      line`Sign in and open ${'menu.change_password'} in the menu beside your name.`,
      line`Type your old password in ${'change_password.current'} (after a reset: ${'change_password.temporary'}).`,
      line`Type the new password in ${'change_password.new'} and again in ${'change_password.repeat'}, then press ${'common.save'}.`,
      line`The page says ${'change_password.success'}`,
    ],
    problems: [
      { problem: line`The new password is refused.`, fix: line`The page lists what it lacks: length, upper- and lower-case letters, digits, symbols, or it is too common or contains your national ID.` },
      { problem: line`You do not know the current password.`, fix: line`Sign out and use ${'sign_in.forgot'}.` },
    ],
    help,
  },
  'role-choice': {
    title: 'Choosing your role and organization',
    intro: line`One person may hold several appointments (a principal who also teaches, a parent of two children). After signing in you choose which one you are acting in.`,
    before: [line`An active appointment, given by your school's principal or your organization.`],
    steps: [
      line`After signing in, the page ${'role_choice.title'} lists your roles, each with its organization.`,
      line`Pick one under ${'role_choice.label'} and press ${'common.confirm'}.`,
      line`To switch later, use ${'role_choice.switch'} in the menu beside your name.`,
    ],
    problems: [
      { problem: line`No role is listed.`, fix: line`You have no active appointment (it may have ended with the school year). Ask your principal or organization to renew it.` },
      { problem: line`A service says your role may not use it.`, fix: line`Switch to the role the service is for.` },
    ],
    help,
  },
  support: {
    title: 'Asking System support',
    intro: line`Ask a question or report a problem in writing. A request goes to your school's administrators (an administrator's, to the level above; a signed-out one, to the ministry), who may pass it up; their answer comes back to you.`,
    before: [line`What you were doing and what the page said; if it helps, a screenshot (PNG or JPEG, at most 1 MB). Signed out, also a mobile number or email address where the answer can reach you.`],
    steps: [
      line`Signed in, open ${'support.menu'} in the services on your home page. If you cannot sign in, follow the ${'support.ask_signed_out'} link on the sign-in page.`,
      line`Choose the ${'support.category'}: ${'support.category_sign_in'}, ${'support.category_registration'}, ${'support.category_roles'}, or ${'support.category_other'}.`,
      line`Fill in ${'support.subject'} and ${'support.text'}; if an image shows the problem, attach it under ${'support.screenshot'}.`,
      line`Signed out, type your ${'support.contact'} and complete the ${'registration.captcha'}.`,
      line`Press ${'support.submit'}. The page shows the request's ${'support.reference'}: keep it. The message that brings the answer names it, and you quote it if you ask about the same problem again.`,
      line`To follow your requests, open ${'support.my_requests'} (under the services on your home page): each shows its ${'support.state'}: ${'support.state_open'}, ${'support.state_answered'} or ${'support.state_closed'}. Open one to read its ${'support.replies'}.`,
    ],
    problems: [
      { problem: line`No answer yet.`, fix: line`The request stays ${'support.state_open'} until someone answers; it may have been passed to the level above, and the request's page says who has it now. When your account has a mobile number or an email address, the answer is sent there too.` },
      { problem: line`You asked signed out, and have no list of your requests.`, fix: line`The answer goes only to the contact you typed; keep the reference to name the request. Once you can sign in, new requests appear in ${'support.my_requests'}.` },
      { problem: line`The page says you have sent too many requests.`, fix: line`Wait a little and try again; meanwhile the answer to an earlier request may already be in ${'support.my_requests'}.` },
    ],
    help: line`If ${'support.menu'} itself cannot help, ask your school's office in person. Never write your password in a request: support staff never ask for it.`,
  },
  'admin-new-user': {
    title: 'Adding a user and their appointment',
    intro: line`A user must be defined before a password can be issued: their national ID, their role, and the appointment's dates.`,
    before: [line`The person's national ID; for a parent, also the child's national ID.`],
    steps: [
      line`In ${'admin.users_title'} choose ${'admin.new_user'}.`,
      line`Type the ${'admin.col_national_id'} and press ${'admin.show_name'}: the name from the registry appears.`,
      line`Choose the ${'admin.col_role'} (and, above a school, the ${'admin.col_organization'}).`,
      line`Type the ${'admin.issue_date'} and the ${'admin.end_date'}. The appointment usually starts on 1 Mehr and ends on 31 Shahrivar (public schools) or 31 Ordibehesht (non-public).`,
      line`For a father, mother or guardian, type the ${'admin.child_national_id'}. Press ${'common.save'}.`,
    ],
    problems: [
      { problem: line`The national ID is refused.`, fix: line`Check its ten digits; Persian digits are fine.` },
      { problem: line`The role cannot be given here, or the person already holds it for these dates.`, fix: line`Choose a role your own role may give, or edit the existing appointment instead.` },
      { problem: line`The child is not found.`, fix: line`The child must be a student in one of your schools; add the student first.` },
    ],
    help: adminHelp,
  },
  'admin-appointments': {
    title: 'Editing, ending and renewing appointments',
    intro: line`An appointment gives a person a role in an organization between two dates; access follows it.`,
    before: [line`The person's national ID, or the role whose appointments you renew.`],
    steps: [
      line`In ${'admin.users_title'} find the person (national ID and role, then ${'admin.search'}) and open their name.`,
      line`Under ${'admin.appointments'} press ${'admin.edit'}, change the ${'admin.issue_date'} or ${'admin.end_date'} and press ${'common.save'}.`,
      line`To stop an appointment today, press ${'admin.end_appointment'}.`,
      line`At the school year's end, press ${'admin.renew_all'} under the user table, check the list, and confirm (or ${'admin.cancel'}).`,
    ],
    problems: [
      { problem: line`The end date is before the start.`, fix: line`Correct the dates; a Solar Hijri date such as 1404/07/01 is read as Solar Hijri.` },
      { problem: line`Nothing to renew.`, fix: line`Every appointment in the list is already renewed or has not started yet; renewing twice changes nothing.` },
    ],
    help: adminHelp,
  },
  'admin-reset': {
    title: 'Resetting a user\'s password',
    intro: line`When a teacher or student cannot sign in, you can give them a new temporary password; they choose their own at the next sign-in.`,
    before: [line`The user's national ID and role.`],
    steps: [
      line`In ${'admin.users_title'} type the ${'admin.col_national_id'}, choose the ${'admin.col_role'} and press ${'admin.search'}.`,
      line`At the end of the user's row press the two reversed arrows ⇄ (${'admin.reset'}).`,
      line`To ${'admin.reset_confirm'} press ${'common.confirm'}.`,
      line`${'admin.reset_hand_over'} It is shown only once.`,
    ],
    problems: [
      { problem: line`No ⇄ on the row.`, fix: line`You may only reset roles below your own, never your own account: change your own password from the menu.` },
      { problem: line`The user can reset by themselves.`, fix: line`Point them to ${'sign_in.forgot'} on the sign-in page: no visit needed.` },
    ],
    help: adminHelp,
  },
  'admin-bulk-passwords': {
    title: 'Group passwords',
    intro: line`Issue temporary passwords for many users at once, with printable slips.`,
    before: [line`The users must already be defined (see adding a user).`],
    steps: [
      line`Open ${'admin.bulk_passwords'}.`,
      line`In ${'admin.user_type'} choose, for example, ${'admin.type_teachers'} and press ${'admin.search'}.`,
      line`Tick the box beside each name you want (or use the button for all who match).`,
      line`Press ${'admin.change_passwords'} and wait: the progress page refreshes itself.`,
      line`Press ${'admin.batch_show'}. ${'admin.batch_hand_over'}`,
    ],
    problems: [
      { problem: line`Some people are in an unfinished batch.`, fix: line`Open that batch and show its passwords first; otherwise its printed slips would be wrong.` },
      { problem: line`The passwords are no longer shown.`, fix: line`They are shown once, for a limited time. Issue them again.` },
    ],
    help: adminHelp,
  },
  'admin-import': {
    title: 'Importing users from a file',
    intro: line`Define many users and appointments at once from a CSV or Excel (XLSX) file; a report shows each row's outcome. Running the same file again changes nothing.`,
    before: [
      line`A CSV file saved as UTF-8, or an XLSX file with the columns in its first sheet; the first row names the columns: national_id, role, and if needed start, end, child_national_id, email.`,
      line`A school information system's OneRoster 1.2 zip is imported from the ${'oneroster.title'} link on the same page; that page says how orgs.csv names your organization.`,
    ],
    steps: [
      line`Open ${'admin.import'}.`,
      line`Above a school, choose the ${'admin.col_organization'}.`,
      line`Choose the file in ${'imports.file'}. To email set-password links, tick ${'import.send_invitations'}.`,
      line`Press ${'import.submit'} and read the ${'import.report'}: each line says whether it was created, already there, or refused and why. A large file is imported in the background: its progress page reloads itself until the report is ready, and you may close it and come back later.`,
    ],
    problems: [
      { problem: line`The file is not UTF-8 or its first row is wrong.`, fix: line`In Excel save as "CSV UTF-8" or "Excel Workbook (.xlsx)", and check the column names.` },
      { problem: line`The XLSX file is refused.`, fix: line`Old .xls and .ods files are not XLSX: in Excel save as "Excel Workbook (.xlsx)".` },
      { problem: line`Some rows were refused.`, fix: line`Correct those lines and upload the file again: rows already created are left alone.` },
    ],
    help: adminHelp,
  },
  'admin-oneroster': {
    title: 'Importing a OneRoster export',
    intro: line`Bring a school information system's OneRoster 1.2 export into Kelid: its schools, its people and their appointments, and parents linked to their children. Importing the same zip again changes nothing.`,
    before: [
      line`The zip the school system exported: manifest.csv, orgs.csv, users.csv, enrollments.csv and, if it has one, academicSessions.csv, all at the zip's root or all in one folder (compress the folder that holds the files, not the one above it).`,
      line`The files in UTF-8. Your organization is the row of orgs.csv whose sourcedId is its Kelid id or whose identifier is its code: the ${'oneroster.title'} page shows them. Rows of the organizations above yours are left as they are.`,
      line`In users.csv, each person's national ID in userIds, as {national_id:0012345678}, or in identifier; each person's role at an organization in roles.csv (OneRoster 1.2), or in users.csv's role and orgSourcedIds (1.1), or by their enrollments; a parent's or guardian's children by their sourcedId in agentSourcedIds. Dates as 2026-09-23 or 1405/07/01.`,
    ],
    steps: [
      line`Open ${'admin.import'} and follow the ${'oneroster.title'} link.`,
      line`Choose the zip in ${'oneroster.file'} and press ${'oneroster.submit'}.`,
      line`Read the report: for each file, what was created, updated or left unchanged; the appointments from every file, and by name whose appointment ended; the school year given to rows without dates; then each refused row, by file, line and column.`,
    ],
    problems: [
      { problem: line`The zip is refused whole, and nothing was saved.`, fix: line`The message names the file to blame and what to fix: a folder too deep, files in two places, a file name in the wrong case, a file not in UTF-8. Fix it and upload the zip again.` },
      { problem: line`Rows are "not under your organization".`, fix: line`Name your organization in orgs.csv by its Kelid id or its code, and the schools under it by their parentSourcedId.` },
      { problem: line`A person is not found in the civil registry.`, fix: line`Check the national ID in userIds: Kelid never makes a person up from a file.` },
    ],
    help: adminHelp,
  },
  'admin-invitations': {
    title: 'Sending set-password links',
    intro: line`Instead of handing out passwords, email people a link with which they set their own.`,
    before: [line`An email address on each person's account.`],
    steps: [
      line`For one person: open their page in ${'admin.users_title'}, press ${'invitation.send'} and ${'common.confirm'}.`,
      line`For many: open ${'invitation.bulk_title'}, choose the type in ${'admin.user_type'}, press ${'admin.search'}, tick the people and press ${'invitation.send_selected'}.`,
      line`The progress page then lists who was skipped and why (no email, no national ID, disabled account).`,
    ],
    problems: [
      { problem: line`The person has no email.`, fix: line`Reset their password instead, and hand it to them.` },
      { problem: line`The link no longer works for them.`, fix: line`Only the newest link works; send a new one.` },
    ],
    help: adminHelp,
  },
  'admin-approvals': {
    title: 'Approving registrations',
    intro: line`Self-registered people can request nothing until their registration is approved.`,
    before: [line`The right to approve accounts (ministry administrators).`],
    steps: [
      line`Open ${'approvals.title'}.`,
      line`Check each person's name and the ${'approvals.registry'} column: whether the details match the civil registry.`,
      line`Press ${'approvals.approve'} on the row.`,
    ],
    problems: [
      { problem: line`The person is not in the registry.`, fix: line`Their details are self-declared: check them with the person before approving.` },
    ],
    help: adminHelp,
  },
  'admin-announcements': {
    title: 'Publishing announcements',
    intro: line`Ministry, province, district and school administrators publish announcements to the people of their organization, optionally to chosen roles, between two dates; they appear on the home page, newest first.`,
    before: [line`The text (plain text; addresses starting with https:// become links), who it is for, and the dates.`],
    steps: [
      line`Open ${'announcements.title'} and press ${'announcements.new'}.`,
      line`Fill in ${'announcements.field_title'} and ${'announcements.field_text'}.`,
      line`Choose ${'announcements.field_organization'}: it shows there and in everything under it. Under ${'announcements.field_roles'} tick roles, or none for everyone.`,
      line`Type ${'announcements.field_starts'} and ${'announcements.field_ends'}, or leave them empty for the default period.`,
      line`Press ${'announcements.publish'}. Later, ${'announcements.edit'} changes it and ${'announcements.withdraw'} takes it down.`,
    ],
    problems: [
      { problem: line`The text is refused.`, fix: line`It contains invisible direction controls (such as RLO), often pasted with the text: remove them. HTML is not drawn; it shows as typed.` },
      { problem: line`Nobody sees it.`, fix: line`Check the dates and the roles: it shows only between its dates, and only to the roles ticked.` },
    ],
    help: adminHelp,
  },
  'admin-clients': {
    title: 'Connected apps (OpenID clients)',
    intro: line`Apps that sign people in with Kelid, or call its APIs, are registered here.`,
    before: [line`The app's name and the exact ${'clients.col_redirects'} its developers give you.`],
    steps: [
      line`Open ${'clients.title'} and press ${'clients.new'}.`,
      line`Fill in the form (the ${'clients.col_name'}, its kind and uses, addresses and scopes) and press ${'clients.register'}.`,
      line`Copy the ${'clients.secret_label'} shown once into the app's secret store.`,
      line`To change an app's secret press ${'clients.rotate'}; to remove it press ${'clients.remove'}. Both ask first.`,
    ],
    problems: [
      { problem: line`The secret was lost.`, fix: line`Kelid cannot show it again: press ${'clients.rotate'} and give the new one to the app.` },
    ],
    help: adminHelp,
  },
  'admin-support': {
    title: 'Answering support requests',
    intro: line`Requests reach the administrators of the organization the person acts in; an administrator's own request goes one level up, and a signed-out person's to the ministry. You see every request in your organization and below it.`,
    before: [line`The right to answer support requests (every administrator: school, district, province, ministry).`],
    steps: [
      line`Open ${'support.queue_title'} in the console's navigation.`,
      line`Under ${'support.state'} choose ${'support.state_open'} and press ${'support.filter'}; open a request by its ${'support.reference'}.`,
      line`Read the request: ${'support.requester'}, ${'support.origin'}, the page it came from, and the ${'support.screenshot_link'} if any.`,
      line`Write your ${'support.reply'} and press ${'support.reply_submit'}: the requester is told by SMS or email when they have a mobile or an email on record (else they read it under ${'support.my_requests'}), and the request becomes ${'support.state_answered'}.`,
      line`If it needs the level above (a decision or a right you do not have), press ${'support.escalate'}: it goes to the parent organization's administrators and leaves your list.`,
      line`When nothing is left to do, press ${'support.close'}; a closed request stays readable but takes no more answers.`,
    ],
    problems: [
      { problem: line`There is no ${'support.escalate'} button.`, fix: line`The request is at the ministry, the top level: answer it or close it.` },
      { problem: line`A request left your list.`, fix: line`It was escalated: the level above has it now, with the answers already given.` },
      { problem: line`The requester asked signed out.`, fix: line`Anyone can write anything signed out: never put a password or personal details in the answer. Point them to recovering their password, or reset it after checking who they are.` },
    ],
    help: adminHelp,
  },
};
