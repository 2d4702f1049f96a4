// OWL 2 DL profile check with the OWL API that owlready2 bundles in hermit/HermiT.jar.
//
//   javac -cp HermiT.jar -d OUT DLProfileCheck.java
//   java -cp HermiT.jar:OUT DLProfileCheck FILE...
//
// Loads every FILE (Turtle, RDF/XML or OWL/XML) into one ontology, without fetching imports,
// and prints one line per OWL 2 DL profile violation ("VIOLATION<TAB>type<TAB>text"),
// then "VIOLATIONS n". Exit status 0 whatever the count; 2 when a file cannot be loaded.
import java.io.File;
import java.util.List;

import org.semanticweb.owlapi.apibinding.OWLManager;
import org.semanticweb.owlapi.model.IRI;
import org.semanticweb.owlapi.model.MissingImportHandlingStrategy;
import org.semanticweb.owlapi.model.OWLOntology;
import org.semanticweb.owlapi.model.OWLOntologyLoaderConfiguration;
import org.semanticweb.owlapi.model.OWLOntologyManager;
import org.semanticweb.owlapi.io.FileDocumentSource;
import org.semanticweb.owlapi.profiles.OWL2DLProfile;
import org.semanticweb.owlapi.profiles.OWLProfileReport;
import org.semanticweb.owlapi.profiles.OWLProfileViolation;

public class DLProfileCheck {
    public static void main(String[] args) throws Exception {
        OWLOntologyManager manager = OWLManager.createOWLOntologyManager();
        OWLOntologyLoaderConfiguration config = new OWLOntologyLoaderConfiguration()
            .setMissingImportHandlingStrategy(MissingImportHandlingStrategy.SILENT);
        OWLOntology merged = manager.createOntology(IRI.create("urn:igfgraph:profile-check"));
        for (String path : args) {
            OWLOntology part;
            try {
                part = manager.loadOntologyFromOntologyDocument(
                    new FileDocumentSource(new File(path)), config);
            } catch (Exception e) {
                System.out.println("LOAD-ERROR\t" + path + "\t" + e.getMessage());
                System.exit(2);
                return;
            }
            manager.addAxioms(merged, part.getAxioms());
            for (org.semanticweb.owlapi.model.OWLAnnotation a : part.getAnnotations()) {
                manager.applyChange(new org.semanticweb.owlapi.model.AddOntologyAnnotation(merged, a));
            }
        }
        OWLProfileReport report = new OWL2DLProfile().checkOntology(merged);
        List<OWLProfileViolation> violations = report.getViolations();
        for (OWLProfileViolation v : violations) {
            System.out.println("VIOLATION\t" + v.getClass().getSimpleName() + "\t"
                + v.toString().replace('\n', ' '));
        }
        System.out.println("VIOLATIONS " + violations.size());
    }
}
