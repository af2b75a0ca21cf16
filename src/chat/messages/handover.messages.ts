// The handovers capability's sentences (交接), English and Chinese side by side per key, and
// the sentence of each AppError reason it throws.
import type { HandoverErrorParams } from '../../core/handovers/handover.errors.ts';
import type { MessageKeyTaking, Messages } from '../i18n.ts';

export const HANDOVER_MESSAGES = {
  'cmd.handover': { en: "hand a leaver's customers over, each the way its stage demands (plan first, then start)", 'zh-CN': '离职交接：按阶段逐个交接客户（先看计划，再开始）' },
  'cmd.handovers': { en: 'open handovers in your line and how far each has come', 'zh-CN': '你下属的进行中交接及进度' },
  'handover.planTitle': (p: { leaver: string; count: number; lastDay: string }) => ({
    en: `Handover plan for ${p.leaver}: ${p.count} customer${p.count === 1 ? '' : 's'}, last day ${p.lastDay}. Nothing has moved yet.`,
    'zh-CN': `${p.leaver} 的交接计划：${p.count} 个客户，最后工作日 ${p.lastDay}。尚未移交任何客户。`,
  }),
  'handover.planDue': (p: { dueDay: string }) => ({ en: `Calls, visits and notes are due by ${p.dueDay}.`, 'zh-CN': `电话、拜访和交接备注须在 ${p.dueDay} 前完成。` }),
  'handover.planLine': (p: { name: string; stage: string; step: string; successor: string; note: boolean; admin: boolean }) => ({
    en: `${p.name} (${p.stage}): ${p.step} → ${p.successor}${p.note ? ', with a handover note' : ''}${p.admin ? ' — handed over twice in 90 days: an admin must start it' : ''}`,
    'zh-CN': `${p.name}（${p.stage}）：${p.step} → ${p.successor}${p.note ? '，需交接备注' : ''}${p.admin ? ' —— 90 天内已交接两次：须管理员发起' : ''}`,
  }),
  'handover.nobodyWithRoom': { en: 'nobody with room — name a successor', 'zh-CN': '无人有余量 —— 请指定接手人' },
  'step.transfer': { en: 'transferred at once', 'zh-CN': '立即移交' },
  'step.call': { en: 'intro call', 'zh-CN': '电话交接' },
  'step.visit': { en: 'joint visit', 'zh-CN': '共同拜访' },
  'handover.showPlan': { en: 'Show the handover plan', 'zh-CN': '查看交接计划' },
  'handover.startButton': { en: 'Start the handover', 'zh-CN': '开始交接' },
  'handover.started': (p: { leaver: string; transferred: number; pending: number; lastDay: string }) => ({
    en: `Handover of ${p.leaver} started: ${p.transferred} transferred at once, ${p.pending} to walk over by ${p.lastDay}.`,
    'zh-CN': `${p.leaver} 的交接已开始：${p.transferred} 个已立即移交，${p.pending} 个须在 ${p.lastDay} 前逐个交接。`,
  }),
  'handover.noticeStarted': (p: { leaver: string; by: string; lastDay: string }) => ({
    en: `${p.by} started the handover of ${p.leaver}'s customers (last day ${p.lastDay}). Your steps come every working morning; \`handover status\` shows them now.`,
    'zh-CN': `${p.by} 发起了 ${p.leaver} 的客户交接（最后工作日 ${p.lastDay}）。每个工作日早上会发来你的待办；现在可用 \`交接 状态\` 查看。`,
  }),
  'handover.callDone': { en: 'Call done', 'zh-CN': '电话已完成' },
  'handover.visitDone': { en: 'Visit done', 'zh-CN': '拜访已完成' },
  'handover.recorded': (p: { name: string }) => ({ en: `Recorded for ${p.name}.`, 'zh-CN': `已记录：${p.name}。` }),
  'handover.completed': (p: { name: string; successor: string }) => ({ en: `${p.name} is now ${p.successor}'s customer (history: handover).`, 'zh-CN': `${p.name} 已移交给 ${p.successor}（历史记录：交接）。` }),
  'handover.noticeStep': (p: { by: string; name: string; part: string; completed: boolean }) => ({
    en: `${p.by}: ${p.part} for ${p.name}.${p.completed ? ' The handover of this customer is complete.' : ''}`,
    'zh-CN': `${p.by}：${p.name} ${p.part}。${p.completed ? '该客户交接已完成。' : ''}`,
  }),
  'part.leaverDone': { en: 'confirmed by the leaver', 'zh-CN': '离职人已确认' },
  'part.successorDone': { en: 'confirmed by the successor', 'zh-CN': '接手人已确认' },
  'part.visitDay': { en: 'visit day set', 'zh-CN': '已定拜访日期' },
  'part.note': { en: 'handover note written', 'zh-CN': '已写交接备注' },
  'handover.statusTitle': (p: { leaver: string; lastDay: string; done: number; total: number }) => ({
    en: `Handover of ${p.leaver} (last day ${p.lastDay}): ${p.done} of ${p.total} done.`,
    'zh-CN': `${p.leaver} 的交接（最后工作日 ${p.lastDay}）：已完成 ${p.done}/${p.total}。`,
  }),
  'handover.statusLine': (p: { name: string; step: string; successor: string; status: string; missing: string }) => ({
    en: `${p.name}: ${p.step} → ${p.successor} — ${p.status}${p.missing ? ` (waiting for: ${p.missing})` : ''}`,
    'zh-CN': `${p.name}：${p.step} → ${p.successor} —— ${p.status}${p.missing ? `（待：${p.missing}）` : ''}`,
  }),
  'itemStatus.pending': { en: 'pending', 'zh-CN': '进行中' },
  'itemStatus.done': { en: 'done', 'zh-CN': '已完成' },
  'itemStatus.incomplete': { en: 'moved incomplete', 'zh-CN': '未完成即移交' },
  'itemStatus.cancelled': { en: 'cancelled (stays with the leaver)', 'zh-CN': '已取消（仍归离职人）' },
  'handover.reassign': { en: 'Reassign', 'zh-CN': '改派' },
  'handover.formTitle': { en: 'Hand a leaver over', 'zh-CN': '离职交接' },
  'handover.leaverField': { en: 'Who is leaving', 'zh-CN': '离职人' },
  'handover.successorsField': { en: 'Successors (optional)', 'zh-CN': '接手人（选填）' },
  'handover.successorsHint': { en: 'One for all, or several separated by commas; empty: the stronger rep per customer', 'zh-CN': '一人接全部，或用逗号分隔多人；留空则按阶段推荐更强的销售' },
  'handover.lastDayField': { en: 'Last day (optional)', 'zh-CN': '最后工作日（选填）' },
  'handover.formSubmit': { en: 'Show the plan', 'zh-CN': '查看计划' },
  'handover.reassignTitle': { en: 'Reassign a customer', 'zh-CN': '改派接手人' },
  'handover.successorField': { en: 'Successor', 'zh-CN': '接手人' },
  'handover.reassignSubmit': { en: 'Reassign', 'zh-CN': '改派' },
  'handover.reassigned': (p: { name: string; successor: string }) => ({ en: `${p.name} now goes to ${p.successor}; the step starts over with them.`, 'zh-CN': `${p.name} 改由 ${p.successor} 接手，该步骤重新开始。` }),
  'handover.itemFormIntro': (p: { name: string; leaver: string }) => ({ en: `Customer: ${p.name}, handed over by ${p.leaver}.`, 'zh-CN': `客户：${p.name}，由 ${p.leaver} 交接。` }),
  'handover.assignTitle': (p: { number: number }) => ({ en: `Assign request #${p.number}`, 'zh-CN': `分配请求 #${p.number}` }),
  'handover.assignIntro': (p: { number: number; leaver: string }) => ({
    en: `${p.leaver} is leaving and nobody else in the department could take request #${p.number}: pick a member, or yourself.`,
    'zh-CN': `${p.leaver} 即将离职，部门中没有其他人可接请求 #${p.number}：请选择一位成员，或由你自己受理。`,
  }),
  'handover.assignCoverIntro': (p: { number: number; leaver: string; department: string }) => ({
    en: `${p.leaver} is leaving and was the only one in ${p.department}: pick who covers request #${p.number} (yourself, the head, anyone in the company); they work on it as its assignee.`,
    'zh-CN': `${p.leaver} 即将离职，且是${p.department}唯一的成员：请选择由谁代为受理请求 #${p.number}（你自己、部门负责人或公司任何人），其将作为受理人处理。`,
  }),
  'handover.assignField': { en: 'Assign to', 'zh-CN': '分配给' },
  'handover.assignMe': (p: { name: string }) => ({ en: `${p.name} (me)`, 'zh-CN': `${p.name}（我）` }),
  'handover.assignSubmit': { en: 'Assign', 'zh-CN': '分配' },
  'handover.assignButton': (p: { number: number }) => ({ en: `Assign #${p.number}`, 'zh-CN': `分配 #${p.number}` }),
  'handover.pickVisitDay': { en: 'Pick the visit day', 'zh-CN': '选择拜访日期' },
  'handover.visitDayTitle': { en: 'Joint visit day', 'zh-CN': '共同拜访日期' },
  'handover.visitDayField': { en: 'Visit day', 'zh-CN': '拜访日期' },
  'handover.visitDaySubmit': { en: 'Set the day', 'zh-CN': '确定日期' },
  'handover.visitReminder': (p: { name: string; day: string; other: string; tomorrow: boolean }) => ({
    en: p.tomorrow ? `Reminder: the joint handover visit to ${p.name} with ${p.other} is on ${p.day}.` : `Today (${p.day}): the joint handover visit to ${p.name} with ${p.other}. Press "Visit done" afterwards.`,
    'zh-CN': p.tomorrow ? `提醒：${p.day} 与 ${p.other} 共同拜访 ${p.name}（交接）。` : `今天（${p.day}）与 ${p.other} 共同拜访 ${p.name}（交接），完成后请按“拜访已完成”。`,
  }),
  'handover.orgEdits': (p: { leaver: string; edits: string }) => ({ en: `${p.leaver} is being handed over. Edit the org file: ${p.edits}.`, 'zh-CN': `${p.leaver} 正在交接，请修改组织文件：${p.edits}。` }),
  'orgRole.duty': (p: { days: string; from: string; to: string }) => ({ en: `replace them on the duty roster (${p.days} ${p.from}–${p.to})`, 'zh-CN': `替换其值班（${p.days} ${p.from}–${p.to}）` }),
  'orgRole.orgArbiter': { en: 'name another org arbiter (`arbiter:`)', 'zh-CN': '另设组织仲裁人（`arbiter:`）' },
  'orgRole.departmentArbiter': (p: { department: string }) => ({ en: `name another arbiter for ${p.department}`, 'zh-CN': `为 ${p.department} 另设仲裁人` }),
  'orgRole.departmentHead': (p: { department: string }) => ({ en: `name another head of ${p.department}`, 'zh-CN': `为 ${p.department} 另设负责人` }),
  'handover.planRoles': (p: { edits: string }) => ({ en: `Org-file roles the admins are asked to hand on: ${p.edits}.`, 'zh-CN': `将请管理员在组织文件中移交的角色：${p.edits}。` }),
  'handover.changedReassigned': (p: { by: string; name: string; from: string; to: string }) => ({ en: `${p.by} reassigned ${p.name}: ${p.from} → ${p.to}.`, 'zh-CN': `${p.by} 改派了 ${p.name}：${p.from} → ${p.to}。` }),
  'handover.changedLastDay': (p: { by: string; leaver: string; lastDay: string }) => ({ en: `${p.by} moved the last day of ${p.leaver}'s handover to ${p.lastDay}.`, 'zh-CN': `${p.by} 将 ${p.leaver} 的交接最后工作日改为 ${p.lastDay}。` }),
  'handover.changedCancelled': (p: { by: string; leaver: string }) => ({ en: `${p.by} cancelled the handover of ${p.leaver}; pending customers stay with them.`, 'zh-CN': `${p.by} 取消了 ${p.leaver} 的交接，未完成的客户仍归其名下。` }),
  'handover.cancelled': (p: { leaver: string }) => ({ en: `The handover of ${p.leaver} is cancelled; customers not yet handed over stay with them.`, 'zh-CN': `${p.leaver} 的交接已取消，尚未移交的客户仍归其名下。` }),
  'handover.lastDayChanged': (p: { leaver: string; lastDay: string; dueDay: string }) => ({ en: `The handover of ${p.leaver} now ends ${p.lastDay}; steps are due ${p.dueDay}.`, 'zh-CN': `${p.leaver} 的交接最后工作日改为 ${p.lastDay}，步骤截止 ${p.dueDay}。` }),
  'handover.successorLeft': (p: { name: string; gone: string; next: string }) => ({
    en: p.next ? `${p.gone} is leaving, so ${p.name} went back to the plan: it now goes to ${p.next}. Reassign to pick someone else.` : `${p.gone} is leaving and nobody else has room for ${p.name}: reassign it.`,
    'zh-CN': p.next ? `${p.gone} 即将离职，${p.name} 已重新安排，现交给 ${p.next}。如需另选，请改派。` : `${p.gone} 即将离职，且无人有余量接手 ${p.name}：请改派。`,
  }),
  'handover.noteShown': (p: { leaver: string; note: string }) => ({ en: `Handover note from ${p.leaver}: ${p.note}`, 'zh-CN': `${p.leaver} 的交接备注：${p.note}` }),
  'reason.handover.noneOpen': (p: { person: string }) => ({ en: `No handover of ${p.person} is open.`, 'zh-CN': `${p.person} 没有进行中的交接。` }),
  'reason.handover.sameSuccessor': (p: { person: string }) => ({ en: `${p.person} is already the successor for this customer.`, 'zh-CN': `${p.person} 已是该客户的接手人。` }),
  'missing.leader': { en: "the leaver's confirmation", 'zh-CN': '离职人确认' },
  'missing.successor': { en: "the successor's confirmation", 'zh-CN': '接手人确认' },
  'missing.note': { en: 'the handover note', 'zh-CN': '交接备注' },
  'missing.visitDay': { en: 'a visit day', 'zh-CN': '拜访日期' },
  'handover.noneOpen': { en: 'No handover is open.', 'zh-CN': '没有进行中的交接。' },
  'handover.prompt': (p: { days: number; calls: number; visits: number; notes: number }) => {
    const en = [p.calls ? `${p.calls} call${p.calls === 1 ? '' : 's'}` : '', p.visits ? `${p.visits} visit${p.visits === 1 ? '' : 's'}` : '', p.notes ? `${p.notes} note${p.notes === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    const zh = [p.calls ? `${p.calls} 个电话` : '', p.visits ? `${p.visits} 次拜访` : '', p.notes ? `${p.notes} 份备注` : ''].filter(Boolean).join('、');
    return { en: `Handover: ${p.days} working day${p.days === 1 ? '' : 's'} left: ${en}.`, 'zh-CN': `交接：还剩 ${p.days} 个工作日：${zh}。` };
  },
  'handover.promptLine': (p: { name: string; kind: string; visitDay: string }) => ({
    en: `${p.name}: ${p.kind}${p.visitDay ? ` (visit on ${p.visitDay})` : ''}`,
    'zh-CN': `${p.name}：${p.kind}${p.visitDay ? `（拜访日 ${p.visitDay}）` : ''}`,
  }),
  'handover.promptHint': { en: 'Note: `handover note <company> <text>`; visit day: `handover visit <company> <YYYY-MM-DD>`.', 'zh-CN': '备注：`交接 备注 <公司> <内容>`；拜访日：`交接 拜访 <公司> <YYYY-MM-DD>`。' },
  'kindStep.call': { en: 'intro call', 'zh-CN': '电话交接' },
  'kindStep.visit': { en: 'joint visit', 'zh-CN': '共同拜访' },
  'kindStep.note': { en: 'handover note', 'zh-CN': '交接备注' },
  'handover.progress': (p: { leaver: string; done: number; total: number; days: number }) => ({
    en: `Handover of ${p.leaver}: ${p.done} of ${p.total} done, ${p.days} working day${p.days === 1 ? '' : 's'} left.`,
    'zh-CN': `${p.leaver} 的交接：已完成 ${p.done}/${p.total}，还剩 ${p.days} 个工作日。`,
  }),
  'handover.overdue': (p: { name: string; leaver: string; successor: string; dueDay: string }) => ({
    en: `Overdue: the handover of ${p.name} (${p.leaver} → ${p.successor}) was due ${p.dueDay}.`,
    'zh-CN': `已逾期：${p.name}（${p.leaver} → ${p.successor}）的交接应于 ${p.dueDay} 前完成。`,
  }),
  'handover.extend': { en: 'Extend', 'zh-CN': '延期' },
  'handover.transferNow': { en: 'Transfer now without it', 'zh-CN': '不等了，立即移交' },
  'handover.extended': (p: { name: string; dueDay: string }) => ({ en: `${p.name}: due ${p.dueDay} now.`, 'zh-CN': `${p.name}：截止日已延至 ${p.dueDay}。` }),
  'handover.incomplete': (p: { name: string; leaver: string; successor: string }) => ({
    en: `${p.name} moved from ${p.leaver} to ${p.successor} on the last day, flagged incomplete: not every step was done.`,
    'zh-CN': `${p.name} 已在最后工作日从 ${p.leaver} 移交给 ${p.successor}，标记为未完成：部分步骤未做。`,
  }),
  'person.left': (p: { name: string }) => ({ en: `${p.name} (owner left)`, 'zh-CN': `${p.name}（负责人已离职）` }),
  'person.leaving': (p: { name: string; day: string }) => ({ en: `${p.name} (owner left ${p.day})`, 'zh-CN': `${p.name}（负责人 ${p.day} 离职）` }),
  // `name` is the bare name: the sentence itself says how they left (a `left:` day, or removed from the file).
  'handover.ownerLeft': (p: { name: string; leftOn?: string; count: number; visits: number; contests: number; duty: number; requests: number; leaver: string }) => {
    const en = [p.count ? `${p.count} customer${p.count === 1 ? '' : 's'} (protected from the pool until handed over)` : '', p.requests ? `${p.requests} open request${p.requests === 1 ? '' : 's'} assigned` : '', p.visits ? `${p.visits} expected visit${p.visits === 1 ? '' : 's'}` : '', p.contests ? `${p.contests} open contest${p.contests === 1 ? '' : 's'} to decide` : '', p.duty ? `${p.duty} duty slot${p.duty === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ');
    const zh = [p.count ? `${p.count} 个客户（交接前不会进入公海）` : '', p.requests ? `${p.requests} 个待处理的服务请求` : '', p.visits ? `${p.visits} 个预约来访` : '', p.contests ? `${p.contests} 个待裁决争议` : '', p.duty ? `${p.duty} 个值班时段` : ''].filter(Boolean).join('、');
    return {
      en: `${p.name} ${p.leftOn ? `left on ${p.leftOn}` : 'was removed from the org file'} and still holds ${en}. See the plan: \`handover ${p.leaver}\`.`,
      'zh-CN': `${p.name} ${p.leftOn ? `已于 ${p.leftOn} 离职` : '已从组织文件中移除'}，仍有 ${zh}。查看交接计划：\`交接 ${p.leaver}\`。`,
    };
  },
  'handover.requestsMoved': (p: { leaver: string; list: string }) => ({
    en: `${p.leaver} is being handed over: their open requests went back to your department's assignment rule: ${p.list}.`,
    'zh-CN': `${p.leaver} 正在交接，其待处理的服务请求已按部门分配规则重新分配：${p.list}。`,
  }),
  'handover.startedRequests': (p: { count: number }) => ({ en: `${p.count} open request${p.count === 1 ? '' : 's'} moved.`, 'zh-CN': `已转移 ${p.count} 个待处理的服务请求。` }),
  'handover.requestNobody': { en: 'nobody else to take it (reassign it)', 'zh-CN': '无人可接（请手动改派）' },
  'handover.planRequests': (p: { reassigned: number; reassignedList: string; follow: number; followList: string; stay: number; stayList: string; approvals: number; approvalsList: string }) => {
    const en = [p.reassigned ? `${p.reassigned} assigned to them go back to their department's rule (${p.reassignedList})` : '', p.follow ? `${p.follow} they made follow the customer's successor (${p.followList})` : '', p.stay ? `${p.stay} they made go to their manager (${p.stayList})` : '', p.approvals ? `${p.approvals} waiting for their approval go to their manager to approve (${p.approvalsList})` : ''].filter(Boolean).join('; ');
    const zh = [p.reassigned ? `${p.reassigned} 个分配给其的请求按部门规则重新分配（${p.reassignedList}）` : '', p.follow ? `${p.follow} 个其提交的请求随客户转给接手人（${p.followList}）` : '', p.stay ? `${p.stay} 个其提交的请求转给其上级（${p.stayList}）` : '', p.approvals ? `${p.approvals} 个待其审批的请求转给其上级审批（${p.approvalsList}）` : ''].filter(Boolean).join('；');
    return { en: `Open requests: ${en}.`, 'zh-CN': `待处理的服务请求：${zh}。` };
  },
  'handover.digestTitle': { en: 'Handovers', 'zh-CN': '离职交接' },
  'handover.digestLine': (p: { leaver: string; done: number; total: number; overdue: number; lastDay: string }) => ({
    en: `${p.leaver}: ${p.done}/${p.total} done, ${p.overdue} step${p.overdue === 1 ? '' : 's'} overdue, last day ${p.lastDay}`,
    'zh-CN': `${p.leaver}：已完成 ${p.done}/${p.total}，逾期 ${p.overdue} 项，最后工作日 ${p.lastDay}`,
  }),
  'reason.handover.noPerson': (p: { person: string }) => ({ en: `"${p.person}" is not a person in the org file.`, 'zh-CN': `“${p.person}”不在组织文件中。` }),
  'reason.handover.notInLine': { en: 'Only their manager line or an admin may hand someone over.', 'zh-CN': '只有其上级链条中的经理或管理员可以发起交接。' },
  'reason.handover.noCustomers': (p: { person: string }) => ({ en: `${p.person} owns no customers: there is nothing to hand over.`, 'zh-CN': `${p.person} 名下没有客户，无需交接。` }),
  'reason.handover.successorIsLeaver': (p: { person: string }) => ({ en: `${p.person} is the one leaving: name someone else as successor.`, 'zh-CN': `${p.person} 正是离职人，请指定其他接手人。` }),
  'reason.handover.notRep': (p: { person: string }) => ({ en: `${p.person} is not a rep (or is leaving) and cannot take customers over.`, 'zh-CN': `${p.person} 不是在职销售，不能接手客户。` }),
  'reason.handover.cannotCover': (p: { person: string }) => ({ en: `${p.person} is the one leaving (or is leaving too): pick someone else to take the request.`, 'zh-CN': `${p.person} 正是离职人（或也将离职），请另选受理人。` }),
  'reason.handover.lastDayPast': { en: 'The last day is in the past: give today or a later date (YYYY-MM-DD).', 'zh-CN': '最后工作日已过，请填写今天或之后的日期（YYYY-MM-DD）。' },
  'reason.handover.overCap': (p: { person: string; held: number; adding: number; cap: number }) => ({
    en: `${p.person} holds ${p.held} customers; ${p.adding} more would pass the cap of ${p.cap}. Split among several (to a,b) or pick someone else.`,
    'zh-CN': `${p.person} 已有 ${p.held} 个客户，再接 ${p.adding} 个将超过上限 ${p.cap}。请分给多人（给 a,b）或另选接手人。`,
  }),
  'reason.handover.alreadyOpen': (p: { person: string }) => ({ en: `A handover of ${p.person} is already open: \`handover status ${p.person}\` shows it.`, 'zh-CN': `${p.person} 的交接已在进行：用 \`交接 状态 ${p.person}\` 查看。` }),
  'reason.handover.noSuccessor': (p: { person: string }) => ({ en: `Nobody in the line has room for ${p.person}: name a successor (to <person>).`, 'zh-CN': `没有人有余量接手 ${p.person}：请指定接手人（给 <人>）。` }),
  'reason.handover.needsAdmin': { en: 'Some customers were handed over twice in the last 90 days: only an admin may hand them over again.', 'zh-CN': '部分客户在 90 天内已交接两次，只有管理员可以再次交接。' },
  'reason.handover.visitDay': (p: { lastDay: string }) => ({ en: `The joint visit must be from today and before the last day (${p.lastDay}).`, 'zh-CN': `共同拜访须在今天或之后、最后工作日（${p.lastDay}）之前。` }),
  'reason.handover.notParty': { en: 'Only the leaver and the successor named in this handover confirm its steps.', 'zh-CN': '只有本次交接的离职人和接手人可以确认步骤。' },
  'reason.handover.stale': { en: 'This step is already done or no longer open; nothing changed.', 'zh-CN': '该步骤已完成或已关闭，没有改动。' },
} satisfies Messages;

export const HANDOVER_REASON_SENTENCES = {
  'handover.noPerson': 'reason.handover.noPerson',
  'handover.notInLine': 'reason.handover.notInLine',
  'handover.noCustomers': 'reason.handover.noCustomers',
  'handover.successorIsLeaver': 'reason.handover.successorIsLeaver',
  'handover.notRep': 'reason.handover.notRep',
  'handover.cannotCover': 'reason.handover.cannotCover',
  'handover.lastDayPast': 'reason.handover.lastDayPast',
  'handover.overCap': 'reason.handover.overCap',
  'handover.alreadyOpen': 'reason.handover.alreadyOpen',
  'handover.noSuccessor': 'reason.handover.noSuccessor',
  'handover.needsAdmin': 'reason.handover.needsAdmin',
  'handover.notParty': 'reason.handover.notParty',
  'handover.stale': 'reason.handover.stale',
  'handover.visitDay': 'reason.handover.visitDay',
  'handover.noneOpen': 'reason.handover.noneOpen',
  'handover.sameSuccessor': 'reason.handover.sameSuccessor',
} as const satisfies { [R in keyof HandoverErrorParams]: MessageKeyTaking<typeof HANDOVER_MESSAGES, HandoverErrorParams[R]> };
