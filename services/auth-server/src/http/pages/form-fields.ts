import { html, type SafeHtml } from './html.js';

/** A hidden CSRF field (the token is bound to the form's action path). */
export function csrfField(token: string): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token}">`;
}

export interface TextField {
  readonly name: string;
  readonly label: string;
  readonly type?: 'text' | 'password' | 'email';
  readonly value?: string | undefined;
  readonly autocomplete: string;
  readonly error?: string | undefined;
  readonly hint?: string | undefined;
  readonly required?: boolean;
  readonly autofocus?: boolean;
  readonly maxLength?: number;
}

/** A labelled input with its hint and error tied to it for assistive technology (WCAG 1.3.1, 3.3.1). */
export function textField(field: TextField): SafeHtml {
  const id = `field-${field.name}`;
  const described = [field.hint ? `${id}-hint` : '', field.error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<label for="${id}">${field.label}</label>
<input id="${id}" name="${field.name}" type="${field.type ?? 'text'}" autocomplete="${field.autocomplete}"${
    field.type === 'password' ? '' : html` value="${field.value ?? ''}"`
  }${field.required ? html` required` : ''}${field.autofocus ? html` autofocus` : ''}${
    field.maxLength === undefined ? '' : html` maxlength="${field.maxLength}"`
  }${field.error ? html` aria-invalid="true"` : ''}${described ? html` aria-describedby="${described}"` : ''} autocapitalize="off" spellcheck="false">
${field.hint ? html`<p class="hint" id="${id}-hint">${field.hint}</p>` : ''}
${field.error ? html`<p class="field-error" id="${id}-error">${field.error}</p>` : ''}`;
}
