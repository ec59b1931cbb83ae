package dev.rigger.playbook;

import io.pebbletemplates.pebble.extension.AbstractNodeVisitor;
import io.pebbletemplates.pebble.extension.ExtensionRegistry;
import io.pebbletemplates.pebble.node.ArgumentsNode;
import io.pebbletemplates.pebble.node.BodyNode;
import io.pebbletemplates.pebble.node.ForNode;
import io.pebbletemplates.pebble.node.IfNode;
import io.pebbletemplates.pebble.node.NamedArgumentNode;
import io.pebbletemplates.pebble.node.PositionalArgumentNode;
import io.pebbletemplates.pebble.node.PrintNode;
import io.pebbletemplates.pebble.node.SetNode;
import io.pebbletemplates.pebble.node.TestInvocationExpression;
import io.pebbletemplates.pebble.node.expression.ArrayExpression;
import io.pebbletemplates.pebble.node.expression.BinaryExpression;
import io.pebbletemplates.pebble.node.expression.ContextVariableExpression;
import io.pebbletemplates.pebble.node.expression.Expression;
import io.pebbletemplates.pebble.node.expression.FilterExpression;
import io.pebbletemplates.pebble.node.expression.FilterInvocationExpression;
import io.pebbletemplates.pebble.node.expression.FunctionOrMacroInvocationExpression;
import io.pebbletemplates.pebble.node.expression.GetAttributeExpression;
import io.pebbletemplates.pebble.node.expression.MapExpression;
import io.pebbletemplates.pebble.node.expression.NegativeTestExpression;
import io.pebbletemplates.pebble.node.expression.PositiveTestExpression;
import io.pebbletemplates.pebble.node.expression.TernaryExpression;
import io.pebbletemplates.pebble.node.expression.UnaryExpression;
import io.pebbletemplates.pebble.template.PebbleTemplateImpl;
import io.pebbletemplates.pebble.utils.Pair;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Walks a compiled template and collects the root variables it reads, and the filters, tests and functions
 * it calls that do not exist. Every branch is walked, whatever its condition. A variable read under
 * {@code is defined} or {@code | default(...)} is not collected: that is how templates say "optional".
 */
final class TemplateVariablesVisitor extends AbstractNodeVisitor {

    /** What one template reads. */
    static final class Findings {
        final Set<String> variables = new LinkedHashSet<>();
        final Set<String> unknownCalls = new LinkedHashSet<>();
    }

    private final ExtensionRegistry registry;
    private final Findings findings;
    private final Deque<Set<String>> locals = new ArrayDeque<>();

    TemplateVariablesVisitor(PebbleTemplateImpl template, ExtensionRegistry registry, Findings findings) {
        super(template);
        this.registry = registry;
        this.findings = findings;
        locals.push(new HashSet<>());
    }

    @Override
    public void visit(PrintNode node) {
        walk(node.getExpression(), false);
    }

    @Override
    public void visit(IfNode node) {
        for (Pair<Expression<?>, BodyNode> branch : node.getConditionsWithBodies()) {
            walk(branch.getLeft(), false);
            branch.getRight().accept(this);
        }
        if (node.getElseBody() != null) {
            node.getElseBody().accept(this);
        }
    }

    @Override
    public void visit(ForNode node) {
        walk(node.getIterable(), false);
        Set<String> scope = new HashSet<>();
        scope.add(node.getIterationVariable());
        scope.add("loop");
        locals.push(scope);
        node.getBody().accept(this);
        locals.pop();
        if (node.getElseBody() != null) {
            node.getElseBody().accept(this);
        }
    }

    @Override
    public void visit(SetNode node) {
        walk(node.getValue(), false);
        locals.peek().add(node.getName());
    }

    private void walk(Expression<?> e, boolean optional) {
        if (e == null) {
            return;
        }
        if (e instanceof ContextVariableExpression v) {
            if (!optional && !isLocal(v.getName())) {
                findings.variables.add(v.getName());
            }
        } else if (e instanceof GetAttributeExpression g) {
            walk(g.getNode(), optional);
            walk(g.getAttributeNameExpression(), false);
            walk(g.getArgumentsNode());
        } else if (e instanceof FilterExpression f) {
            boolean isDefault = f.getRightExpression() instanceof FilterInvocationExpression fi
                    && fi.getFilterName().equals("default");
            walk(f.getLeftExpression(), optional || isDefault);
            walk(f.getRightExpression(), false);
        } else if (e instanceof PositiveTestExpression || e instanceof NegativeTestExpression) {
            BinaryExpression<?> b = (BinaryExpression<?>) e;
            boolean isDefined = b.getRightExpression() instanceof TestInvocationExpression t
                    && t.getTestName().equals("defined");
            walk(b.getLeftExpression(), optional || isDefined);
            walk(b.getRightExpression(), false);
        } else if (e instanceof BinaryExpression<?> b) {
            walk(b.getLeftExpression(), optional);
            walk(b.getRightExpression(), optional);
        } else if (e instanceof UnaryExpression u) {
            walk(u.getChildExpression(), optional);
        } else if (e instanceof TernaryExpression t) {
            walk(t.getExpression1(), optional);
            walk(t.getExpression2(), optional);
            walk(t.getExpression3(), optional);
        } else if (e instanceof FilterInvocationExpression f) {
            if (registry.getFilter(f.getFilterName()) == null) {
                findings.unknownCalls.add("filter '" + f.getFilterName() + "'");
            }
            walk(f.getArgs());
        } else if (e instanceof TestInvocationExpression t) {
            if (registry.getTest(t.getTestName()) == null) {
                findings.unknownCalls.add("test '" + t.getTestName() + "'");
            }
            walk(t.getArgs());
        } else if (e instanceof FunctionOrMacroInvocationExpression f) {
            if (registry.getFunction(f.getFunctionName()) == null) {
                findings.unknownCalls.add("function '" + f.getFunctionName() + "'");
            }
            walk(f.getArguments());
        } else if (e instanceof ArrayExpression a) {
            a.getValues().forEach(v -> walk(v, optional));
        } else if (e instanceof MapExpression m) {
            m.getEntries().forEach((k, v) -> {
                walk(k, optional);
                walk(v, optional);
            });
        }
    }

    private void walk(ArgumentsNode args) {
        if (args == null) {
            return;
        }
        if (args.getPositionalArgs() != null) {
            for (PositionalArgumentNode a : args.getPositionalArgs()) {
                walk(a.getValueExpression(), false);
            }
        }
        if (args.getNamedArgs() != null) {
            for (NamedArgumentNode a : args.getNamedArgs()) {
                walk(a.getValueExpression(), false);
            }
        }
    }

    private boolean isLocal(String name) {
        for (Set<String> scope : locals) {
            if (scope.contains(name)) {
                return true;
            }
        }
        return false;
    }
}
