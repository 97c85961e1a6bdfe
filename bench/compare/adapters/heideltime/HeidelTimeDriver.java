// A resident HeidelTime process for bench/compare: one JVM, many documents.
//
// Protocol (stdin → stdout, UTF-8):
//   request : one header line "<type>\t<dct>\t<nbytes>\n" followed by exactly nbytes of
//             UTF-8 text. <type> is "news" or "narratives"; <dct> is YYYY-MM-DD or "-".
//   response: one line per time expression
//             "T\t<start>\t<end>\t<type>\t<value>\t<mod>\t<quant>\t<freq>\n"
//             (offsets in Unicode code points; empty fields for absent attributes),
//             then "END\t<milliseconds spent in HeidelTime>\n", or "ERR\t<message>\n".
//   On start-up, after the models are loaded, the driver prints "READY\n".
//
// Overlapping TIMEX3 annotations are resolved the way HeidelTime's own TimeML writer
// does it: the longer expression wins (ties: the one seen first).
import de.unihd.dbs.heideltime.standalone.DocumentType;
import de.unihd.dbs.heideltime.standalone.HeidelTimeStandalone;
import de.unihd.dbs.heideltime.standalone.OutputType;
import de.unihd.dbs.heideltime.standalone.POSTagger;
import de.unihd.dbs.heideltime.standalone.components.ResultFormatter;
import de.unihd.dbs.uima.annotator.heideltime.resources.Language;
import de.unihd.dbs.uima.types.heideltime.Timex3;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

import org.apache.uima.cas.FSIterator;
import org.apache.uima.jcas.JCas;

public class HeidelTimeDriver {
    /** Formats the JCas as tab-separated records with code point offsets. */
    static final class TsvFormatter implements ResultFormatter {
        @Override
        public String format(JCas jcas) {
            String text = jcas.getDocumentText();
            List<Timex3> all = new ArrayList<>();
            FSIterator<?> it = jcas.getAnnotationIndex(Timex3.type).iterator();
            while (it.hasNext()) {
                all.add((Timex3) it.next());
            }
            // Longest first, then by position; keep those that overlap nothing kept.
            List<Timex3> byLength = new ArrayList<>(all);
            byLength.sort((a, b) -> {
                int la = a.getEnd() - a.getBegin();
                int lb = b.getEnd() - b.getBegin();
                if (la != lb) return lb - la;
                return a.getBegin() - b.getBegin();
            });
            List<Timex3> kept = new ArrayList<>();
            for (Timex3 t : byLength) {
                boolean overlaps = false;
                for (Timex3 k : kept) {
                    if (t.getBegin() < k.getEnd() && k.getBegin() < t.getEnd()) {
                        overlaps = true;
                        break;
                    }
                }
                if (!overlaps) kept.add(t);
            }
            kept.sort((a, b) -> a.getBegin() - b.getBegin());
            StringBuilder out = new StringBuilder();
            for (Timex3 t : kept) {
                out.append("T\t")
                   .append(text.codePointCount(0, t.getBegin())).append('\t')
                   .append(text.codePointCount(0, t.getEnd())).append('\t')
                   .append(clean(t.getTimexType())).append('\t')
                   .append(clean(t.getTimexValue())).append('\t')
                   .append(clean(t.getTimexMod())).append('\t')
                   .append(clean(t.getTimexQuant())).append('\t')
                   .append(clean(t.getTimexFreq())).append('\n');
            }
            return out.toString();
        }

        private static String clean(String s) {
            return s == null ? "" : s.replace('\t', ' ').replace('\n', ' ');
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            buf.write(c);
        }
        if (c == -1 && buf.size() == 0) return null;
        return buf.toString(StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: HeidelTimeDriver CONFIG.props news,narratives");
            System.exit(2);
        }
        LogManager.getLogManager().reset();
        Logger.getLogger("").setLevel(Level.OFF);
        String config = args[0];
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        HeidelTimeStandalone news = null;
        HeidelTimeStandalone narratives = null;
        TsvFormatter formatter = new TsvFormatter();
        SimpleDateFormat day = new SimpleDateFormat("yyyy-MM-dd");
        day.setTimeZone(TimeZone.getDefault());
        day.setLenient(false);
        // Load the requested pipelines (and TreeTagger) eagerly so start-up is measured apart.
        for (String kind : args[1].split(",")) {
            if (kind.equals("news")) {
                news = new HeidelTimeStandalone(Language.ENGLISH, DocumentType.NEWS, OutputType.TIMEML, config, POSTagger.TREETAGGER);
            } else if (kind.equals("narratives")) {
                narratives = new HeidelTimeStandalone(Language.ENGLISH, DocumentType.NARRATIVES, OutputType.TIMEML, config, POSTagger.TREETAGGER);
            } else {
                System.err.println("unknown document type " + kind);
                System.exit(2);
            }
        }
        out.print("READY\n");
        out.flush();
        String header;
        while ((header = readLine(in)) != null) {
            if (header.isEmpty()) continue;
            String[] f = header.split("\t");
            if (f.length != 3) {
                out.print("ERR\tbad header\n");
                out.flush();
                continue;
            }
            int n = Integer.parseInt(f[2]);
            byte[] bytes = in.readNBytes(n);
            String text = new String(bytes, StandardCharsets.UTF_8);
            long t0 = System.nanoTime();
            try {
                String result;
                if (f[0].equals("narratives") && narratives != null) {
                    result = narratives.process(text, formatter);
                } else if (f[0].equals("news") && news != null && !f[1].equals("-")) {
                    result = news.process(text, day.parse(f[1]), formatter);
                } else {
                    throw new IllegalArgumentException("no " + f[0] + " pipeline loaded or no DCT for news");
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                out.print(result);
                out.print("END\t" + ms + "\n");
            } catch (Exception e) {
                out.print("ERR\t" + String.valueOf(e).replace('\n', ' ') + "\n");
            }
            out.flush();
        }
        out.flush();
    }
}
