import { useState, type FormEvent } from 'react';
import { Button, Checkbox, CheckboxGroup, Form, Label } from 'react-aria-components';
import { useQuery } from 'urql';
import { graphql, type VariablesOf } from '../graphql.ts';
import { words } from '../format.ts';
import { ErrorNotice, Loading, ScrollArea, SelectInput, TextInput } from '../ui.tsx';
import { PURPOSES, ROLES, options } from '../vocabulary.ts';
import { AgenciesQuery } from './Disclosures.tsx';

const ExplainQuery = graphql(`
  query ConsoleExplain($childId: ID!, $purpose: PurposeOfUse!, $asUser: ExplainAsUserInput, $recordId: ID) {
    explainAccess(childId: $childId, purpose: $purpose, asUser: $asUser, recordId: $recordId) {
      subject
      childId
      purpose
      childVisible
      relationship
      agencyRoles
      entries {
        owningAgency {
          code
          name
        }
        recordId
        recordKind
        decisions {
          sensitivityClass
          allowed
          rule
          reason
          agreementId
          agreementVersion
          clause
          lawfulBasis
        }
      }
    }
  }
`);

type Variables = VariablesOf<typeof ExplainQuery>;

export function ExplainPage() {
  const [childId, setChildId] = useState('');
  const [subject, setSubject] = useState('');
  const [agencyCode, setAgencyCode] = useState('');
  const [roles, setRoles] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('CASE_MANAGEMENT');
  const [recordId, setRecordId] = useState('');
  const [asked, setAsked] = useState<Variables | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [agencies] = useQuery({ query: AgenciesQuery });
  const [result] = useQuery({ query: ExplainQuery, variables: asked ?? { childId: '', purpose: 'AUDIT' }, pause: !asked });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!childId.trim() || !subject.trim() || !agencyCode || roles.length === 0) {
      setProblem('Give the child, the user’s token subject, their agency and at least one role.');
      return;
    }
    setProblem(null);
    setAsked({
      childId: childId.trim(),
      purpose: purpose as Variables['purpose'],
      asUser: { subject: subject.trim(), agencyCode, roles: roles as (typeof ROLES)[number][] },
      recordId: recordId.trim() || null,
    });
  };
  const explanation = result.data?.explainAccess;
  const agencyOptions = [
    { id: '', label: 'Choose an agency' },
    ...(agencies.data?.agencies ?? []).map((agency) => ({ id: agency.code, label: agency.name })),
  ];
  return (
    <>
      <h1>Explain access</h1>
      <p className="lede">
        What a user could see of a child under a purpose, class by class, and the rule that decides each: the policy as it stands
        now.
      </p>
      <Form className="filters" onSubmit={submit} aria-label="Whose access to explain">
        <TextInput label="Child (Tandem id)" value={childId} onChange={setChildId} />
        <TextInput label="User (token subject)" value={subject} onChange={setSubject} />
        <SelectInput label="Their agency" value={agencyCode} onChange={setAgencyCode} options={agencyOptions} />
        <SelectInput
          label="Purpose"
          value={purpose}
          onChange={(value) => setPurpose(value || 'CASE_MANAGEMENT')}
          options={options(PURPOSES).slice(1)}
        />
        <TextInput label="Record (Tandem id, optional)" value={recordId} onChange={setRecordId} />
        <CheckboxGroup className="field roles" value={roles} onChange={setRoles}>
          <Label className="label">Their roles</Label>
          <div className="checkboxes">
            {ROLES.map((role) => (
              <Checkbox key={role} value={role} className="checkbox">
                <span className="box" aria-hidden="true" />
                {words(role)}
              </Checkbox>
            ))}
          </div>
        </CheckboxGroup>
        <div className="actions">
          <Button type="submit" className="button">
            Explain
          </Button>
        </div>
      </Form>
      {problem ? (
        <p role="alert" className="notice notice-error">
          {problem}
        </p>
      ) : null}
      {result.error ? <ErrorNotice error={result.error} what="the explanation" /> : null}
      {result.fetching ? <Loading what="the explanation" /> : null}
      {explanation ? (
        <section aria-labelledby="explanation-title">
          <h2 id="explanation-title">
            {explanation.subject} · {words(explanation.purpose)}
          </h2>
          <dl className="facts">
            <dt>Sees the child</dt>
            <dd>{explanation.childVisible ? 'Yes' : 'No'}</dd>
            <dt>Relationship</dt>
            <dd>{explanation.relationship.map(words).join(', ') || 'None'}</dd>
            <dt>Their agency’s involvement</dt>
            <dd>{explanation.agencyRoles.map(words).join(', ') || 'None'}</dd>
          </dl>
          {explanation.entries.map((entry) => (
            <div key={`${entry.owningAgency.code}-${entry.recordId ?? ''}`}>
              <h3>
                Data owned by {entry.owningAgency.name}
                {entry.recordKind ? ` — ${words(entry.recordKind)}` : ''}
              </h3>
              <ScrollArea label={`Decisions for data owned by ${entry.owningAgency.name}`}>
                <table className="plain">
                  <thead>
                    <tr>
                      <th scope="col">Class</th>
                      <th scope="col">Could see</th>
                      <th scope="col">Rule</th>
                      <th scope="col">Why</th>
                      <th scope="col">Agreement and clause</th>
                      <th scope="col">Lawful basis</th>
                    </tr>
                  </thead>
                  <tbody>
                    {entry.decisions.map((decision) => (
                      <tr key={decision.sensitivityClass} className={decision.allowed ? 'allowed' : 'refused'}>
                        <th scope="row">{words(decision.sensitivityClass)}</th>
                        <td>{decision.allowed ? 'Yes' : 'No'}</td>
                        <td>{decision.rule}</td>
                        <td>{decision.reason}</td>
                        <td>
                          {decision.agreementId
                            ? `${decision.agreementId}${decision.agreementVersion ? ` v${decision.agreementVersion}` : ''}${decision.clause ? `, ${decision.clause}` : ''}`
                            : '—'}
                        </td>
                        <td>{decision.lawfulBasis ?? '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollArea>
            </div>
          ))}
        </section>
      ) : null}
    </>
  );
}
