import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { SettingView } from '../../shared/schemas/setting-view.js';
import type { SettingKey } from '../../shared/settings.js';
import { PERCENT_SETTINGS, fractionInputToPercent, percentToFractionInput, settingsByTopic } from '../../shared/settings-topics.js';
import { useContractMutation, useContractQuery } from '../api/use-bridge.js';
import { counted } from '../../shared/plural.js';
import { ActionError, QueryState } from '../ui/state.js';
import { LlmPresets } from './llm-presets.js';

const TARGETS = [
  { target: 'mongodb', label: 'MongoDB' },
  { target: 'maricopa', label: 'Assessor API' },
  { target: 'llm', label: 'LLM' },
  { target: 'webshare', label: 'WebShare' },
  { target: 'twocaptcha', label: '2captcha' },
] as const;

function Field({ s, error }: { s: SettingView; error: string | undefined }) {
  const id = `setting-${s.env}`;
  const described = `${id}-help${error ? ` ${id}-error` : ''}`;
  const common = { id, name: s.env, disabled: !s.editable, 'aria-invalid': error ? true : undefined, 'aria-describedby': described } as const;
  const percent = PERCENT_SETTINGS.has(s.env);
  return (
    <div className={`setting${error ? ' invalid' : ''}`}>
      <label htmlFor={id}>
        <code>{s.env}</code>
        {percent && ' (%)'}
      </label>
      {percent ? (
        <span className="percent-input">
          <input {...common} inputMode="decimal" size={8} defaultValue={fractionInputToPercent(s.input)} /> %
        </span>
      ) : s.secret ? (
        <input {...common} type="password" autoComplete="off" placeholder={s.set ? '•••••• (set; type to replace)' : 'not set'} />
      ) : s.kind === 'json' ? (
        <textarea {...common} rows={3} defaultValue={s.input ?? ''} />
      ) : s.kind === 'boolean' ? (
        <select {...common} defaultValue={s.input ?? ''}><option value="true">true</option><option value="false">false</option></select>
      ) : (
        <input {...common} defaultValue={s.input ?? ''} />
      )}
      <p id={`${id}-help`} className="muted small">
        {s.description} <em>({s.origin === 'default' ? 'default' : `from ${s.origin}`}{s.locked_reason ? `; ${s.locked_reason}` : ''})</em>
      </p>
      {error && <p id={`${id}-error`} role="alert" className="error small">{error}</p>}
    </div>
  );
}

/** After a refused Save, scroll to the first refused field (in page order) and focus it. */
function useFocusFirstRefused(views: SettingView[] | undefined, result: { saved: boolean; errors: Record<string, string> } | undefined) {
  useEffect(() => {
    if (!views || !result || result.saved) return;
    const first = settingsByTopic(views).flatMap((g) => g.items).find((v) => result.errors[v.env] !== undefined);
    const field = first && document.getElementById(`setting-${first.env}`);
    if (!field) return;
    field.scrollIntoView({ block: 'center' });
    field.focus();
  }, [views, result]);
}

export function SettingsPage() {
  const settings = useContractQuery('settings.get');
  const update = useContractMutation('settings.update', ['settings.get']);
  const test = useContractMutation('settings.test');
  const [tests, setTests] = useState<Record<string, { ok: boolean; detail: string }>>({});
  // Refused on the page before sending: a percent field's value, in percent (its own zod schema decides).
  const [pageErrors, setPageErrors] = useState<Record<string, string> | null>(null);
  const errors = pageErrors ?? update.data?.errors ?? {};
  useFocusFirstRefused(settings.data?.settings, pageErrors ? { saved: false, errors: pageErrors } : update.data);
  const formRef = useRef<HTMLFormElement>(null);

  const onSave = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const changes: Record<string, string | null> = {};
    const refused: Record<string, string> = {};
    for (const s of settings.data?.settings ?? []) {
      if (!s.editable || !form.has(s.env)) continue;
      const value = String(form.get(s.env) ?? '');
      if (PERCENT_SETTINGS.has(s.env)) {
        if (value.trim() === fractionInputToPercent(s.input)) continue;
        if (value.trim() === '') {
          changes[s.env] = null;
          continue;
        }
        const fraction = percentToFractionInput(s.key as SettingKey, value);
        if ('error' in fraction) refused[s.env] = fraction.error;
        else changes[s.env] = fraction.input;
        continue;
      }
      if (s.secret ? value !== '' : value !== (s.input ?? '')) changes[s.env] = value === '' ? null : value;
    }
    if (Object.keys(refused).length > 0) {
      update.reset();
      return setPageErrors(refused);
    }
    setPageErrors(null);
    update.mutate({ values: changes });
  };

  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="test-title" className="panel">
        <h2 id="test-title">Test connection</h2>
        <div className="actions">
          {TARGETS.map((t) => (
            <button key={t.target} type="button" className="secondary" onClick={() => test.mutate({ target: t.target }, { onSuccess: (r) => setTests((m) => ({ ...m, [t.target]: r })) })}>
              Test {t.label}
            </button>
          ))}
        </div>
        <ul aria-label="Connection results">
          {TARGETS.filter((t) => tests[t.target]).map((t) => (
            <li key={t.target} className={tests[t.target]!.ok ? 'ok' : 'error'} data-testid={`test-${t.target}`}>
              {t.label}: {tests[t.target]!.ok ? 'ok' : 'failed'}, {tests[t.target]!.detail}
            </li>
          ))}
        </ul>
        <ActionError error={test.error} what="The test" />
      </section>

      <LlmPresets form={formRef} />

      <QueryState query={settings}>
        <form ref={formRef} onSubmit={onSave} aria-label="Settings" noValidate>
          {settingsByTopic(settings.data?.settings ?? []).map(({ topic, items }) => (
            <fieldset key={topic.id} className="setting-topic">
              <legend>{topic.title}</legend>
              {items.map((s) => <Field key={s.env} s={s} error={errors[s.env]} />)}
            </fieldset>
          ))}
          <div className="actions sticky">
            <button type="submit" disabled={update.isPending}>Save</button>
            {update.data?.saved && (
              <span role="status" className="ok">
                {update.data.restart_required ? `Saved. Applied at once, except ${update.data.restart_for.join(', ')}: applies after a restart.` : 'Saved and applied: the next run uses it.'}
                {update.data.overridden.length > 0 && ` The environment still sets ${update.data.overridden.join(', ')}, and wins.`}
              </span>
            )}
            {(pageErrors || (update.data && !update.data.saved)) && <span role="alert" className="error">Nothing saved: {counted(Object.keys(errors).length, 'setting needs', 'settings need')} fixing.</span>}
          </div>
          <ActionError error={update.error} what="Saving" />
        </form>
      </QueryState>
    </>
  );
}
