// `request.ratingClose`: the end of a resolved request's rating window, written with the
// resolution (once per request). An unanswered prompt is updated in place to say the rating
// closed with none given, and no rating is taken after it (core/requests/rate-request.ts).
import { z } from 'zod';
import type { Services } from '../../chat/command.ts';
import type { OrgDirectory } from '../../core/org/org.ts';
import { closeRating } from '../../core/requests/rate-request.ts';
import { REQUEST_RATING_CLOSE } from '../../db/repositories/service-request.repository.ts';
import { defineJob } from '../job-definition.ts';

export const requestRatingCloseJob = defineJob({
  kind: REQUEST_RATING_CLOSE,
  schema: z.object({ requestId: z.string().min(1) }),
  async handler(payload, _job, deps: { services: Services; directory: () => OrgDirectory; clock: () => Date }) {
    await closeRating({ requests: deps.services.requests, directory: deps.directory(), requestId: payload.requestId, now: deps.clock() });
  },
});
