// `request [service]` / 请求: the services of the catalog grouped by department; a service
// (typed, or its button) shows what to bring before asking — the prerequisites, the
// manager's approval, what the form asks for, the targets in working time.
import { serviceByKey, type Catalog, type CatalogService } from '../../core/requests/catalog.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';
import type { WorkingDuration } from '../../core/time/working-time.ts';
import { z } from 'zod';
import type { ChatAction, ChatCommand, CommandContext } from '../command.ts';
import { listJoin, t } from '../i18n.ts';
import { errorReply, reply, type Reply, type ReplyBlock } from '../reply.ts';
import { parseWith, ZPlainTextSchema } from '../validation.ts';

export function durationText(locale: Locale, d: WorkingDuration): string {
  return 'days' in d ? t(locale, 'duration.days', { n: d.days }) : t(locale, 'duration.hours', { n: d.hours });
}

/** The service named, or the refusal listing the services there are. */
export function serviceOrRefusal(catalog: Catalog, locale: Locale, name: string): CatalogService | Reply {
  const service = serviceByKey(catalog, name);
  if (service) return service;
  return errorReply(t(locale, 'request.unknown', { service: name, known: listJoin(locale, catalog.services.map((s) => `${s.name[locale]} (${s.key})`)) }));
}

function catalogReply(directory: OrgDirectory, locale: Locale, catalog: Catalog): Reply {
  if (catalog.services.length === 0) return errorReply(t(locale, 'request.none'));
  const blocks: ReplyBlock[] = [{ kind: 'header', text: t(locale, 'request.catalog') }];
  const departments = [...new Set(catalog.services.map((s) => s.departmentId))];
  for (const id of departments) {
    const services = catalog.services.filter((s) => s.departmentId === id);
    blocks.push({ kind: 'text', text: directory.department(id)?.name ?? id });
    blocks.push({
      kind: 'list',
      items: services.map((s) => t(locale, 'request.serviceLine', { name: s.name[locale], key: s.key, lead: s.leadTimeDays, resolution: durationText(locale, s.targets.resolution) })),
    });
    blocks.push({ kind: 'actions', buttons: services.map((s) => ({ label: t(locale, 'btn.requestService', { name: s.name[locale] }), action: 'request.pick' as const, value: { service: s.key } })) });
  }
  blocks.push({ kind: 'context', text: t(locale, 'request.pickHint') });
  return reply(t(locale, 'request.catalog'), blocks);
}

function prerequisitesReply(directory: OrgDirectory, locale: Locale, s: CatalogService): Reply {
  const name = s.name[locale];
  const blocks: ReplyBlock[] = [];
  if (s.prerequisites.length) {
    blocks.push({ kind: 'header', text: t(locale, 'request.prerequisites', { name }) });
    blocks.push({ kind: 'list', items: s.prerequisites.map((p) => p[locale]) });
  } else blocks.push({ kind: 'text', text: t(locale, 'request.noPrerequisites', { name }) });
  if (s.managerApproves) blocks.push({ kind: 'text', text: t(locale, 'request.approval') });
  if (s.fields.length) blocks.push({ kind: 'text', text: t(locale, 'request.formFields', { fields: listJoin(locale, s.fields.map((f) => f.label[locale] + (f.required ? ' *' : ''))) }) });
  const department = directory.department(s.departmentId)?.name ?? s.departmentId;
  blocks.push({ kind: 'context', text: t(locale, 'request.targets', { department, response: durationText(locale, s.targets.firstResponse), resolution: durationText(locale, s.targets.resolution) }) });
  return reply(blocks[0]!.kind === 'header' ? t(locale, 'request.prerequisites', { name }) : t(locale, 'request.noPrerequisites', { name }), blocks);
}

function showService(ctx: CommandContext, name: string): Reply {
  const found = serviceOrRefusal(ctx.services.catalog(), ctx.locale, name);
  return 'key' in found ? prerequisitesReply(ctx.directory, ctx.locale, found) : found;
}

export const requestCommand: ChatCommand = {
  name: 'request',
  aliases: ['请求', '申请'],
  usage: { en: 'request [service]', 'zh-CN': '请求 [服务]' },
  summary: 'cmd.request',
  async run(ctx, args) {
    const name = parseWith(ZPlainTextSchema(100), args, ctx.locale, this.usage[ctx.locale]);
    return name === '' ? catalogReply(ctx.directory, ctx.locale, ctx.services.catalog()) : showService(ctx, name);
  },
};

export const pickServiceAction: ChatAction = {
  async run(ctx, value) {
    const { service } = parseWith(z.object({ service: z.string().min(1).max(40) }), value, ctx.locale, requestCommand.usage[ctx.locale]);
    return { notice: showService(ctx, service) };
  },
};
