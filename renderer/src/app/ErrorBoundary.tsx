import { Component, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/** Keeps one pane's failure from blanking the console; says what failed, in words. */
export class ErrorBoundary extends Component<{ where: string; children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override render(): ReactNode {
    if (this.state.error) {
      return (
        <div className="error-card" role="alert">
          <h3>Something went wrong in {this.props.where}</h3>
          <p>{this.state.error.message}</p>
          <button type="button" onClick={() => this.setState({ error: null })}>
            Try again
          </button>
        </div>
      );
    }
    return this.props.children;
  }
}
