// The job kind that carries a message to one person.
export const NOTIFY_PERSON = 'notify.person';
