// A form in the shell: asked field by field — the label, the hint, numbered choices, the
// default in brackets — each answer checked as it is typed; Enter keeps the default (or
// skips an optional field), `:back` goes to the previous field, `:cancel` leaves. Fields a
// one-line form filled already are not asked again. Piped input fills it line by line. A
// submission refused (a field error, or the rules: that company is someone else's) asks
// again the fields it names, each with its sentence, keeping every other answer.
import { choiceOf, validateField, valueText, type FormField, type FormSpec, type TFormValue, type TRawFormValues } from '../../chat/form.ts';
import { t } from '../../chat/i18n.ts';
import type { Locale, OrgDirectory } from '../../core/org/org.ts';

export type FillStep = { kind: 'ask'; text: string } | { kind: 'done'; values: TRawFormValues } | { kind: 'cancelled'; text: string };

export class ShellForm {
  private readonly values: TRawFormValues;
  private asked: FormField[];
  private at = 0;
  /** Sentences from a refused submission, shown with their field until it is answered again. */
  private errors: Record<string, string> = {};

  constructor(
    private readonly spec: FormSpec,
    private readonly locale: Locale,
    private readonly directory: OrgDirectory,
    prefill: TRawFormValues,
  ) {
    this.values = { ...prefill };
    const filled = (f: FormField) => prefill[f.name] !== undefined && prefill[f.name] !== '';
    this.asked = spec.fields.filter((f) => !filled(f));
  }

  /** The form's heading and its first question. */
  start(): FillStep {
    const { locale, spec } = this;
    const head = [spec.title[locale], ...(spec.intro ? [spec.intro[locale]] : []), t(locale, 'form.shellHelp')];
    const step = this.next();
    return step.kind === 'ask' ? { kind: 'ask', text: `${head.join('\n')}\n${step.text}` } : step;
  }

  answer(line: string): FillStep {
    const input = line.trim();
    if (input === ':cancel') return { kind: 'cancelled', text: t(this.locale, 'form.cancelled') };
    if (input === ':back') {
      this.at = Math.max(0, this.at - 1);
      return this.next();
    }
    const field = this.asked[this.at]!;
    const raw = input === '' ? this.values[field.name] : this.read(field, input);
    const checked = validateField(this.spec, field.name, raw, this.locale, this.directory);
    if (!checked.ok) return { kind: 'ask', text: `✗ ${checked.error}\n${this.question(field)}` };
    this.values[field.name] = raw === undefined ? undefined : toRaw(checked.value);
    delete this.errors[field.name];
    this.at++;
    return this.next();
  }

  /**
   * The submission was refused: asks again the fields named, each after its sentence, with
   * what was typed as the default — or, when the rules refused the whole answer, every
   * field from the first (Enter keeps each answer).
   */
  reask(errors: Record<string, string>, whole = false): FillStep {
    const named = this.spec.fields.filter((f) => Object.hasOwn(errors, f.name));
    this.asked = whole || !named.length ? [...this.spec.fields] : named;
    this.errors = named.length ? { ...errors } : { [this.spec.fields[0]!.name]: Object.values(errors).join('\n') };
    this.at = 0;
    return this.next();
  }

  private next(): FillStep {
    const field = this.asked[this.at];
    if (!field) return { kind: 'done', values: this.values };
    const error = this.errors[field.name];
    return { kind: 'ask', text: `${error ? `✗ ${error}\n` : ''}${this.question(field)}` };
  }

  /** Numbers pick choices ("2", "1,3"); anything else is read as typed. */
  private read(field: FormField, input: string): TRawFormValues[string] {
    const pick = (s: string) => {
      const n = Number(s.trim());
      const c = field.choices?.[n - 1];
      return Number.isInteger(n) && c ? c.value : (choiceOf(field, s) ?? s.trim());
    };
    if (field.kind === 'choice') return pick(input);
    if (field.kind === 'multiChoice') return input.split(/[,，、\s]+/u).filter(Boolean).map(pick);
    return input;
  }

  private question(f: FormField): string {
    const { locale } = this;
    const lines: string[] = [];
    (f.choices ?? []).forEach((c, i) => lines.push(`  ${i + 1}) ${c.label[locale]}`));
    const notes = [f.hint?.[locale], f.required ? undefined : t(locale, 'form.optional'), f.choices ? t(locale, 'form.chooseHint') : undefined].filter(Boolean);
    const current = this.values[f.name];
    const shown = current === undefined || current === '' ? '' : ` [${valueText(f, current, locale, this.directory)}]`;
    lines.push(`${f.label[locale]}${notes.length ? ` (${notes.join('; ')})` : ''}${shown}: `);
    return lines.join('\n');
  }
}

const toRaw = (v: TFormValue | undefined): TRawFormValues[string] => (typeof v === 'number' ? String(v) : v);
