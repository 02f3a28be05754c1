//! Reference text in our own words: instructions, flags, mount options, directives, rules.
