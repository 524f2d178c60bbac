package io.rsslab.data;

/** A column of one of rsslab's CSV files: the enum constant is the column, header() its name in the file. */
public interface CsvColumn {

    String header();
}
