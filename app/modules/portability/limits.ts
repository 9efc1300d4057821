/** How long a finished agency export is offered for download, in hours (shared by the page and the worker). */
export const EXPORT_LINK_HOURS = 24;

/** The largest OSCAL component definition read into coverage proposals, in megabytes. */
export const COMPONENT_MAX_MEGABYTES = 5;

/** The largest agency export the import page takes, in megabytes (larger ones go through `npm run import`). */
export const IMPORT_MAX_MEGABYTES = 4096;
