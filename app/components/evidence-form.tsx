import type { KindField } from "~/modules/evidence/kinds.ts";
import { Field } from "./field.tsx";
import { SelectField } from "./inputs.tsx";

/** The inputs of a kind's own fields, named "field.<name>" so the module can tell them from the dates. */
export function KindFieldInputs({
  fields,
  values,
  errors,
}: {
  fields: KindField[];
  values: Record<string, string>;
  errors: Record<string, string>;
}) {
  return (
    <>
      {fields.map((f) => {
        const name = `field.${f.name}`;
        const common = {
          name,
          label: f.optional ? `${f.label} (optional)` : f.label,
          hint: f.hint,
          error: errors[name],
          defaultValue: values[name] ?? "",
        };
        if (f.type === "choice")
          return (
            <SelectField
              key={name}
              {...common}
              options={Object.entries(f.options).map(([value, label]) => ({ value, label }))}
              empty="- Choose -"
            />
          );
        if (f.type === "date") return <Field key={name} {...common} type="date" />;
        return <Field key={name} {...common} inputMode={f.type === "text" ? undefined : "decimal"} />;
      })}
    </>
  );
}
