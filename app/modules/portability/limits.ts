/** How long a finished agency export is offered for download, in hours (shared by the page and the worker). */
export const EXPORT_LINK_HOURS = 24;

/** The largest OSCAL component definition read into coverage proposals, in megabytes. */
export const COMPONENT_MAX_MEGABYTES = 5;
