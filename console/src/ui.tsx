import type { ReactNode } from 'react';
import {
  FieldError,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
  Select,
  SelectValue,
  Button,
  Text,
  TextField,
} from 'react-aria-components';
import type { CombinedError } from 'urql';

export function TextInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  type?: 'text' | 'date' | 'search';
  description?: string;
  name?: string;
  isRequired?: boolean;
  placeholder?: string;
}) {
  return (
    <TextField
      className="field"
      value={props.value}
      onChange={props.onChange}
      name={props.name}
      type={props.type ?? 'text'}
      isRequired={props.isRequired}
    >
      <Label className="label">{props.label}</Label>
      <Input placeholder={props.placeholder} />
      {props.description ? <Text slot="description">{props.description}</Text> : null}
      <FieldError />
    </TextField>
  );
}

export interface Option {
  readonly id: string;
  readonly label: string;
}

/** A labelled choice; the empty id is "any". */
export function SelectInput(props: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly Option[];
}) {
  return (
    <Select className="field" value={props.value} onChange={(key) => props.onChange(typeof key === 'string' ? key : '')}>
      <Label className="label">{props.label}</Label>
      <Button className="select-button">
        <SelectValue />
        <span aria-hidden="true">▾</span>
      </Button>
      <Popover className="popover">
        <ListBox className="listbox" items={props.options}>
          {(option) => (
            <ListBoxItem className="option" id={option.id} textValue={option.label}>
              {option.label}
            </ListBoxItem>
          )}
        </ListBox>
      </Popover>
    </Select>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p role="status" className="muted">
      Loading {what}…
    </p>
  );
}

/**
 * What the gateway refused, in plain words. A FORBIDDEN answer means this person's roles do not
 * open the log (or this part of it): the console shows nothing else.
 */
export function ErrorNotice({ error, what }: { error: CombinedError | Error; what: string }) {
  const graphQLErrors = 'graphQLErrors' in error ? error.graphQLErrors : [];
  const codes = graphQLErrors.map((item) => (typeof item.extensions.code === 'string' ? item.extensions.code : ''));
  const messages = graphQLErrors.length > 0 ? graphQLErrors.map((item) => item.message) : [error.message];
  if (codes.includes('FORBIDDEN')) {
    return (
      <div role="alert" className="notice notice-refused">
        <h2>The gateway refused to show {what}</h2>
        <p>{messages.join(' ')}.</p>
        <p>The console shows nothing of the log that the gateway does not give you.</p>
      </div>
    );
  }
  return (
    <div role="alert" className="notice notice-error">
      <h2>Could not load {what}</h2>
      <p>{messages.join(' ')}</p>
      {codes.some(Boolean) ? <p className="muted">Code: {codes.filter(Boolean).join(', ')}</p> : null}
    </div>
  );
}

/** A table that scrolls sideways on a narrow window, reachable by keyboard. */
export function ScrollArea({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

export function Definition({ term, children }: { term: string; children: ReactNode }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}
