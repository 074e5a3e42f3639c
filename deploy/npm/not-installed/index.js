// package.json "overrides" point optional dependencies the studio never loads here, so npm neither downloads nor
// builds them (docs/operations.md, "Install size"). Loading one is a mistake to hear about, not to work around.
throw new Error('This optional package is not installed with Auterity Studio (package.json "overrides"; docs/operations.md, "Install size")')
