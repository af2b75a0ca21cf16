// The work thread's entry (chat-thread.ts starts it): the back office, served to the main thread.
import { startBackOffice } from './back-office.ts';
import { runWorkThread } from './chat-thread.ts';

await runWorkThread(startBackOffice);
