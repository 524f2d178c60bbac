package io.rsslab.cli;

import java.util.Arrays;
import java.util.stream.Collectors;

import io.rsslab.report.OutputFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * --format as a report.OutputFormat, limited to what the command prints; the
 * same refusal picocli gives an enum option. A command names its formats in
 * a nested class: converter = FormatConverter.Run.class.
 */
abstract class FormatConverter implements ITypeConverter<OutputFormat> {

    abstract OutputFormat[] allowed();

    @Override
    public OutputFormat convert(String value) {
        OutputFormat f = OutputFormat.parse(value, allowed());
        if (f == null) {
            throw new TypeConversionException("expected one of " + Arrays.stream(allowed()).map(OutputFormat::name)
                    .collect(Collectors.joining(", ", "[", "]")) + " (case-insensitive) but was '" + value + "'");
        }
        return f;
    }

    /** run: table, csv, seed (the article program's own output). */
    static final class Run extends FormatConverter {
        static final OutputFormat[] FORMATS = {OutputFormat.TABLE, OutputFormat.CSV, OutputFormat.SEED};

        @Override
        OutputFormat[] allowed() {
            return FORMATS;
        }
    }

    /** inspect: table, json, csv. */
    static final class Inspect extends FormatConverter {
        @Override
        OutputFormat[] allowed() {
            return new OutputFormat[] {OutputFormat.TABLE, OutputFormat.JSON, OutputFormat.CSV};
        }
    }
}
