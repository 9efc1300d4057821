import { z } from "zod";
import { blank, keys } from "../form-fields.ts";
import {
  countryList,
  DATA_CATEGORIES,
  FEDRAMP_LABELS,
  KEY_CUSTODY_LABELS,
  SERVICE_KINDS,
  SOC2_LABELS,
  STATERAMP_LABELS,
} from "./vocabulary.ts";

/** One schema for the vendor form and the module that saves it. */

const optionalText = (max: number, label: string) =>
  z.preprocess(
    blank,
    z
      .string()
      .max(max, { message: `${label} is too long (at most ${max} characters).` })
      .optional(),
  );
const optionalEmail = (label: string) =>
  z.preprocess(
    blank,
    z
      .email({ message: `Enter ${label} as an e-mail address, like security@vendor.example.` })
      .max(254)
      .optional(),
  );
const country = (label: string) =>
  z.preprocess(
    (v) => (typeof v === "string" ? v.trim().toUpperCase() : v),
    z
      .string({ message: `Choose ${label}.` })
      .refine((code) => countryList().some((c) => c.code === code), { message: `Choose ${label} from the list.` }),
  );

export const StorageLocationSchema = z.object({
  dataCategory: z.enum(keys(DATA_CATEGORIES), { message: "Choose the data category stored here." }),
  country: country("the country where it is stored"),
  region: optionalText(100, "The region"),
});

export const VendorIdentitySchema = z.object({
  legalName: z.preprocess(
    blank,
    z
      .string({ message: "Enter the vendor's legal name." })
      .min(2, { message: "Enter the vendor's legal name." })
      .max(200, { message: "The legal name is too long (at most 200 characters)." }),
  ),
  tradeName: optionalText(200, "The trade name"),
  headquarters: z.preprocess(
    blank,
    z
      .string({ message: "Enter the city and state or province of the headquarters." })
      .max(200, { message: "The headquarters is too long (at most 200 characters)." }),
  ),
  headquartersCountry: country("the country of the headquarters"),
  /** A government body signs a management control agreement, not the Security Addendum (CJIS Security Policy 5.1.1.4). */
  governmentBody: z.preprocess((v) => v === true || v === "on" || v === "yes", z.boolean()).default(false),
});

export const VendorProfileSchema = z.object({
  serviceKinds: z.array(z.enum(keys(SERVICE_KINDS))).min(1, { message: "Choose at least one kind of service." }),
  dataCategories: z
    .array(z.enum(keys(DATA_CATEGORIES)))
    .min(1, { message: "Choose at least one category of data the vendor will hold." }),
  keyCustody: z.enum(keys(KEY_CUSTODY_LABELS), { message: "Say who holds the encryption keys for data at rest." }),
  fedramp: z.enum(keys(FEDRAMP_LABELS), { message: "Choose a FedRAMP level." }).default("none"),
  stateramp: z.enum(keys(STATERAMP_LABELS), { message: "Choose a StateRAMP level." }).default("none"),
  soc2: z.enum(keys(SOC2_LABELS), { message: "Choose a SOC 2 report type." }).default("none"),
  securityContactName: optionalText(200, "The security contact's name"),
  securityContactEmail: optionalEmail("the security contact"),
  securityContactPhone: z.preprocess(
    blank,
    z
      .string()
      .regex(/^[0-9+()\-. x]{7,30}$/, { message: "Enter a telephone number, like +1 555 010 0100." })
      .optional(),
  ),
  legalNoticeAddress: optionalText(1000, "The legal-notice address"),
  legalNoticeEmail: optionalEmail("the legal-notice address"),
  notes: optionalText(4000, "The notes"),
  locations: z.array(StorageLocationSchema).max(30, { message: "Record at most 30 storage locations." }),
});

export const VendorSchema = VendorIdentitySchema.extend(VendorProfileSchema.shape);
export type VendorInput = z.input<typeof VendorSchema>;
export type VendorProfileInput = z.input<typeof VendorProfileSchema>;

/** Rows of the location table a form offers, filled or not. */
export const LOCATION_ROWS = 6;

/** Turn a submitted form into the schema's input: checkbox groups to arrays, location rows to objects (empty rows dropped). */
export function vendorFormInput(form: FormData) {
  const text = (name: string) => (form.get(name) === null ? undefined : String(form.get(name)));
  const locations: { dataCategory?: string; country?: string; region?: string }[] = [];
  for (let i = 0; i < LOCATION_ROWS; i++) {
    const row = {
      dataCategory: text(`locations.${i}.dataCategory`) ?? "",
      country: text(`locations.${i}.country`) ?? "",
      region: text(`locations.${i}.region`) ?? "",
    };
    if (row.dataCategory || row.country || row.region.trim()) locations.push(row);
  }
  return {
    legalName: text("legalName"),
    tradeName: text("tradeName"),
    headquarters: text("headquarters"),
    headquartersCountry: text("headquartersCountry"),
    governmentBody: form.get("governmentBody") === "yes",
    serviceKinds: form.getAll("serviceKinds").map(String),
    dataCategories: form.getAll("dataCategories").map(String),
    keyCustody: text("keyCustody"),
    fedramp: text("fedramp"),
    stateramp: text("stateramp"),
    soc2: text("soc2"),
    securityContactName: text("securityContactName"),
    securityContactEmail: text("securityContactEmail"),
    securityContactPhone: text("securityContactPhone"),
    legalNoticeAddress: text("legalNoticeAddress"),
    legalNoticeEmail: text("legalNoticeEmail"),
    notes: text("notes"),
    locations,
  };
}
