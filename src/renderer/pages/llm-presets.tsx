import { useState, type RefObject } from 'react';
import { LLM_PRESETS } from '../../shared/llm-server.js';

/**
 * Provider presets: each fills OPENAI_BASE_URL, OPENAI_MODEL and LLM_SERVER in the settings form
 * below (nothing is saved until Save) and says what else the server needs.
 */
export function LlmPresets({ form }: { form: RefObject<HTMLFormElement | null> }) {
  const [note, setNote] = useState<string | null>(null);
  const apply = (preset: (typeof LLM_PRESETS)[number]) => {
    const fields = { OPENAI_BASE_URL: preset.baseUrl, OPENAI_MODEL: preset.model, LLM_SERVER: preset.server };
    const locked: string[] = [];
    for (const [name, value] of Object.entries(fields)) {
      const field = form.current?.elements.namedItem(name);
      if (field instanceof HTMLInputElement && !field.disabled) field.value = value;
      else locked.push(name);
    }
    setNote(`${preset.label}: ${preset.note} Then Save and Test LLM.${locked.length ? ` Not editable here: ${locked.join(', ')}.` : ''}`);
  };
  return (
    <section aria-labelledby="presets-title" className="panel">
      <h2 id="presets-title">LLM server presets</h2>
      <div className="actions">
        {LLM_PRESETS.map((p) => (
          <button key={p.server} type="button" className="secondary" onClick={() => apply(p)}>
            {p.label}
          </button>
        ))}
      </div>
      {note && <p role="status" className="small">{note}</p>}
    </section>
  );
}
