/**
 * Labelled form rows with the hint and the validation message beside the field, wired with
 * `aria-describedby` and `aria-invalid` so screen readers announce both.
 */
import { html } from "hono/html";
import type { Markup } from "./layout.ts";

export interface RowOptions {
	id: string;
	label: string;
	hint?: Markup | string;
	error?: string;
	/** Renders the control; receives the attributes that tie it to the hint and message. */
	control: (aria: Markup) => Markup;
	/** A labelled group (radio buttons) instead of one labelled control. */
	group?: boolean;
}

/** A form row: label, control, hint, message. */
export function fieldRow(o: RowOptions): Markup {
	const described = [o.hint ? `${o.id}-hint` : "", o.error ? `${o.id}-error` : ""].filter(Boolean).join(" ");
	const aria = html`${described ? html` aria-describedby="${described}"` : ""}${o.error ? html` aria-invalid="true"` : ""}`;
	const extras = html`${o.hint ? html`<p class="hint" id="${o.id}-hint">${o.hint}</p>` : ""}${
		o.error ? html`<p class="error" id="${o.id}-error">${o.error}</p>` : ""
	}`;
	if (o.group) {
		// A labelled group rather than fieldset/legend: a legend cannot sit in the row's grid.
		return html`<div class="field${o.error ? " invalid" : ""}" role="group" aria-labelledby="${o.id}-label"${aria}><span class="label" id="${o.id}-label">${o.label}</span><div>${o.control(html``)}${extras}</div></div>`;
	}
	return html`<div class="field${o.error ? " invalid" : ""}"><label class="label" for="${o.id}">${o.label}</label><div>${o.control(aria)}${extras}</div></div>`;
}

/** A text input row. */
export function textRow(o: {
	name: string;
	label: string;
	value: string;
	hint?: string;
	error?: string;
	disabled: boolean;
	placeholder?: string;
}): Markup {
	return fieldRow({
		id: o.name,
		label: o.label,
		hint: o.hint,
		error: o.error,
		control: (aria) =>
			html`<input type="text" id="${o.name}" name="${o.name}" value="${o.value}"${
				o.placeholder ? html` placeholder="${o.placeholder}"` : ""
			}${o.disabled ? html` disabled` : ""}${aria} autocomplete="off" spellcheck="false">`,
	});
}

/** A checkbox row: on sends `name=true`; `text` is the box's own label. */
export function checkboxRow(o: {
	name: string;
	label: string;
	checked: boolean;
	text: string;
	hint?: string;
	disabled: boolean;
}): Markup {
	return fieldRow({
		id: o.name,
		label: o.label,
		hint: o.hint,
		control: (aria) =>
			html`<label class="choices"><input type="checkbox" id="${o.name}" name="${o.name}" value="true"${
				o.checked ? html` checked` : ""
			}${o.disabled ? html` disabled` : ""}${aria}> ${o.text}</label>`,
	});
}

/** A select row. */
export function selectRow(o: {
	name: string;
	label: string;
	value: string;
	options: readonly { value: string; label: string }[];
	hint?: Markup | string;
	error?: string;
	disabled: boolean;
}): Markup {
	return fieldRow({
		id: o.name,
		label: o.label,
		hint: o.hint,
		error: o.error,
		control: (aria) =>
			html`<select id="${o.name}" name="${o.name}"${o.disabled ? html` disabled` : ""}${aria}>${o.options.map(
				(opt) =>
					html`<option value="${opt.value}"${opt.value === o.value ? html` selected` : ""}>${opt.label}</option>`,
			)}</select>`,
	});
}

/** A radio group row. */
export function radioRow(o: {
	name: string;
	label: string;
	value: string;
	options: readonly { value: string; label: string }[];
	hint?: string;
	error?: string;
	disabled: boolean;
}): Markup {
	return fieldRow({
		id: o.name,
		label: o.label,
		hint: o.hint,
		error: o.error,
		group: true,
		control: () =>
			html`<div class="choices">${o.options.map(
				(opt) =>
					html`<label><input type="radio" name="${o.name}" id="${o.name}-${opt.value}" value="${opt.value}"${
						opt.value === o.value ? html` checked` : ""
					}${o.disabled ? html` disabled` : ""}> ${opt.label}</label>`,
			)}</div>`,
	});
}
