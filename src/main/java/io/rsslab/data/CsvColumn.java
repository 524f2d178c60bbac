package io.rsslab.data;

/** A column of one of rsslab's CSV files: the enum constant is the column, header() its name in the file. */
public interface CsvColumn {

    String header();

    /** Does the column hold a number (or nothing)? A reader refuses anything else in it (CsvSchema.read). */
    default boolean number() {
        return false;
    }
}
